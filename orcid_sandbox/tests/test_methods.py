"""HEAD answers like GET without a body, on the API and on the pages, over a real WSGI call
(Django's test client drops HEAD bodies itself, so it could not tell)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from orcid_sandbox import actions
from orcid_sandbox.models import AccessToken, Account, AuthorizationCode, Client, Work
from orcid_sandbox.tests.fixtures import PORTAL_REDIRECT, make_token, work_payload
from orcid_sandbox.views import SIGN_IN_COOKIE

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

JSON = "application/vnd.orcid+json"


@pytest.fixture
def http(wsgi_app: WSGIApplication) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=httpx.WSGITransport(app=wsgi_app), base_url="http://testserver"
    ) as session:
        yield session


@pytest.fixture
def writer(account: Account, portal_client: Client) -> AccessToken:
    return make_token(account, portal_client, "/activities/update /person/update /read-limited")


def assert_head_like_get(http: httpx.Client, path: str, **headers: str) -> httpx.Response:
    get = http.get(path, headers=headers)
    head = http.head(path, headers=headers)
    assert head.status_code == get.status_code, path
    assert head.content == b"", path
    assert head.headers["Content-Type"] == get.headers["Content-Type"], path
    assert int(head.headers["Content-Length"]) == len(get.content), path
    return head


@pytest.mark.parametrize("accept", [JSON, "application/vnd.orcid+xml", "*/*"])
def test_head_on_every_api_read(http, account, writer, accept):
    # given: a record with a work
    http.post(
        f"/api/v3.0/{account.orcid}/work",
        json=work_payload(),
        headers={"Authorization": f"Bearer {writer.access_token}", "Accept": JSON},
    )
    work = Work.objects.get()
    paths = ["", "record", "person", "activities", "works", f"work/{work.pk}"]
    paths += [f"work/summary/{work.pk}", f"works/{work.pk}", "external-identifiers"]
    paths += ["researcher-urls", "keywords", "other-names", "employments"]
    for path in paths:
        # when / then: the public API and the member API alike
        head = assert_head_like_get(http, f"/pub/v3.0/{account.orcid}/{path}", Accept=accept)
        assert head.status_code == 200
        head = assert_head_like_get(
            http,
            f"/api/v3.0/{account.orcid}/{path}",
            Accept=accept,
            Authorization=f"Bearer {writer.access_token}",
        )
        assert head.status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/pub/v3.0/0000-0000-0000-0001/work/abc", 400),
        ("/pub/v3.0/0000-0000-0000-0001/work/999999999999999999999999", 404),
        ("/pub/v3.0/0000-0000-0000-0001/work/%00", 400),
        ("/pub/v3.0/0000-0000-0000-0001/work", 404),  # POST-only address
        ("/pub/v3.0/0000-0000-0000-0001/nonsense", 404),
        ("/pub/v3.0/0000-0002-1825-0097/works", 404),
        ("/pub/v3.0/not-an-id/works", 400),
        ("/api/v3.0/0000-0000-0000-0001/works", 401),
        ("/pub/v3.0/search/?q=wong", 200),
        ("/pub/v3.0/search/?q=%00&rows=-1", 400),
        ("/api/v3.0/expanded-search/?q=wong", 401),
    ],
)
def test_head_on_refused_api_calls_keeps_the_status(http, account, path, status):
    head = assert_head_like_get(http, path, Accept=JSON)
    assert head.status_code == status


def test_head_with_an_unacceptable_type_is_406_without_body(http, account):
    head = assert_head_like_get(http, f"/pub/v3.0/{account.orcid}/works", Accept="text/html")
    assert head.status_code == 406


def test_head_on_a_deprecated_record_is_301_with_location(http, account):
    account.primary_orcid = "0000-0002-1825-0097"
    account.save()
    head = assert_head_like_get(http, f"/pub/v3.0/{account.orcid}/works", Accept=JSON)
    assert head.status_code == 301
    assert head.headers["Location"].endswith("/pub/v3.0/0000-0002-1825-0097/works")


def test_head_writes_nothing(http, account, writer):
    # when: HEAD on the write addresses, with a body and a writing token
    for path in ("work", "works", "external-identifiers", "researcher-urls", "employment"):
        http.request(
            "HEAD",
            f"/api/v3.0/{account.orcid}/{path}",
            content=b'{"bulk": []}',
            headers={"Authorization": f"Bearer {writer.access_token}", "Accept": JSON},
        )
    # then
    assert not Work.objects.exists()
    assert not account.other_ids.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/signin",
        "/register",
        "/0000-0000-0000-0001",
        "/0000-0000-0000-0001?print=1",
        "/0000-0000-0000-0001/qr-code.svg",
        "/0000-0002-1825-0097",
        "/.well-known/openid-configuration",
        "/oauth/jwks",
        "/oauth/userinfo",
        "/my-orcid",
        "/developer-tools",
        "/account/trusted-parties",
        "/my-orcid/personal-data",
    ],
)
def test_head_on_pages(http, account, path):
    head = assert_head_like_get(http, path)
    assert head.status_code in (200, 302, 401, 404)


def test_head_on_pages_when_signed_in(http, account):
    # given
    http.cookies.set(SIGN_IN_COOKIE, actions.do_sign_in(account))
    # when / then
    for path in ("/developer-tools", "/account/trusted-parties", "/my-orcid/personal-data"):
        assert assert_head_like_get(http, path).status_code == 200


def test_head_on_authorize_never_issues_a_code(http, account, portal_client):
    # given: Chris already granted the portal, so a GET would go straight back with a code
    make_token(account, portal_client, "/authenticate")
    http.cookies.set(SIGN_IN_COOKIE, actions.do_sign_in(account))
    url = "/oauth/authorize?" + str(
        httpx.QueryParams(
            client_id="APP-SCHOLARHUBDEMO01",
            response_type="code",
            scope="/authenticate",
            redirect_uri=PORTAL_REDIRECT,
        )
    )
    # when
    head = http.head(url)
    # then: the page's headers, no body, no code
    assert head.status_code == 200
    assert head.content == b""
    assert not AuthorizationCode.objects.exists()
    assert http.get(url).status_code == 302
    assert AuthorizationCode.objects.count() == 1


def test_head_is_rate_limited_like_get(http, account, settings):
    from orcid_sandbox.traffic import limiter

    limiter.reset()
    settings.ORCID_SANDBOX_RATE_LIMIT = 0.001
    settings.ORCID_SANDBOX_RATE_BURST = 2
    try:
        statuses = [http.head(f"/pub/v3.0/{account.orcid}/works").status_code for _ in range(3)]
        last = http.head(f"/pub/v3.0/{account.orcid}/works")
    finally:
        limiter.reset()
    assert statuses == [200, 200, 503]
    assert last.content == b""
