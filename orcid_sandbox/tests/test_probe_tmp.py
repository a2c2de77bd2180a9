import pytest
from orcid_sandbox.tests.conftest import make_token

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


@pytest.mark.parametrize("pc", ["99999999999999999999", "9223372036854775808", "٣", "²"])
@pytest.mark.parametrize(
    "kind", ["work", "works", "external-identifiers", "researcher-urls", "employment"]
)
def test_probe(client, account, portal_client, pc, kind):
    t = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    h = {"HTTP_ACCEPT": "application/json", "HTTP_AUTHORIZATION": f"Bearer {t.access_token}"}
    for m in ("get", "delete", "put"):
        kw = {} if m == "get" else {"data": "{}", "content_type": "application/json"}
        r = getattr(client, m)(f"/api/v3.0/{account.orcid}/{kind}/{pc}", **kw, **h)
        assert r.status_code < 500, (m, r.status_code)
    r = client.post(f"/{account.orcid}/works/{pc}/preferred")
    assert r.status_code < 500
