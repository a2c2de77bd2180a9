"""Hostile input never reaches a 500: every URL pattern of the three services, fuzzed.

The URL patterns are read from each service's URLconf, so a new page or API address is fuzzed
without editing this file. For each pattern, hypothesis draws path parameters (real ones from a
small seeded world, or anything the converter accepts), the method, the query string, a form
or API body and the Accept header, and sends it through Django's test client as an anonymous
visitor, a researcher, the Library, or an API caller with a token or key. The answer must be a
success, a redirect or a 4xx that says something; an exception or a 5xx fails the test with
the request that caused it.

`make test` runs FUZZ_EXAMPLES (default 3) derandomised examples per pattern, a few hundred in
all, the same every run. To explore, set SCHOLARHUB_FUZZ_EXAMPLES (e.g. 200): the examples are
then random and many more; SCHOLARHUB_FUZZ_ROUTES=text limits the run to the URL patterns
whose text holds it (e.g. "portal:/backend/outputs").
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXPLORE = "SCHOLARHUB_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("SCHOLARHUB_FUZZ_EXAMPLES", "3"))
# Only the URL patterns whose text holds this, while exploring one area.
ONLY = os.environ.get("SCHOLARHUB_FUZZ_ROUTES", "")
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not EXPLORE,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
SERVICES = {
    "portal": "config.urls_portal",
    "orcid": "config.urls_orcid",
    "scopus": "config.urls_scopus",
}
# Django's own admin is not ours to fuzz; its pages are covered by Django's tests.
SKIPPED_PREFIXES = ("admin/",)
API_PREFIXES = ("api/", "pub/", "content/", "oauth/")
PARAMETER_NAME = re.compile(
    r"""(?:GET|POST|query_params|data|params)(?:\.get|\.getlist|\.pop)?[(\[]\s*["']([\w\-.:]+)["']"""
)
FIELD_NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname="([^"]+)\"""")
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")

# URL patterns known to answer some input with a 500, skipped until fixed (each was reported
# with the request that caused it). Remove the entry with the fix.
KNOWN_500S: dict[str, str] = {}

HOSTILE_TEXT = [
    "",
    "0",
    "-1",
    "0000",
    "²",
    "¹",
    "9" * 5000,
    "x" * 10_000,
    "[" * 10_000,
    "\x00",
    "\x0b",
    "\ud7ff\ue000",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%",
    "%%32%65",
    "../../etc/passwd",
    "PUBYEAR IS 0000",
    "PUBYEAR > 0000",
    "AUTHLASTNAME(",
    "0000-0000-0000-0001",
    "2-s2.0-33745291715",
    "10.1108/02641610610669750",
    "=HYPERLINK(1)",
    "ł ø ß 王",
]
TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
# Keys of ORCID's documents, so that generated JSON gets past the first checks now and then.
ORCID_KEYS = [
    "title",
    "type",
    "external-ids",
    "external-id",
    "external-id-type",
    "external-id-value",
    "external-id-relationship",
    "publication-date",
    "year",
    "value",
    "put-code",
    "journal-title",
    "url",
    "url-name",
    "organization",
    "department-name",
    "role-title",
    "start-date",
    "bulk",
    "work",
    "visibility",
    "contributors",
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.one_of(TEXT, st.sampled_from(ORCID_KEYS)), children, max_size=5)
    ),
    max_leaves=12,
)
BODIES = st.one_of(
    JSON_VALUES.map(json.dumps),
    st.sampled_from(
        [
            "[" * 100_000,
            "9" * 5000,
            '{"title": {"title": {"value": "' + "\x0b" * 3 + '"}}}',
            "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY b SYSTEM 'file:///etc/passwd'>]><a>&b;</a>",
            "<work:work xmlns:work='http://www.orcid.org/ns/work'><work:title/></work:work>",
            "\xff\xfe",
        ]
    ),
    TEXT,
)
CONTENT_TYPES = [
    "application/json",
    "application/vnd.orcid+json",
    "application/vnd.orcid+xml",
    "application/xml",
    "application/x-www-form-urlencoded",
    "text/plain",
]
ACCEPTS = [
    "text/html",
    "application/json",
    "application/xml",
    "application/vnd.orcid+json",
    "application/vnd.orcid+xml",
    "*/*",
    "nonsense/;;q=x",
    "",
]


@dataclass(frozen=True)
class Route:
    """One URL pattern of one service."""

    service: str
    template: str
    pattern: URLPattern = field(compare=False)

    def __str__(self) -> str:
        return f"{self.service}:/{self.template}"

    @property
    def is_api(self) -> bool:
        return self.template.startswith(API_PREFIXES)


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def routes() -> list[Route]:
    found = []
    for service, urlconf in SERVICES.items():
        for template, pattern in walk(get_resolver(urlconf).url_patterns):
            if not template.startswith(SKIPPED_PREFIXES):
                found.append(Route(service, template, pattern))
    return found


ROUTES = routes()


def parameter_names(route: Route) -> list[str]:
    """The request parameters the view's module reads, by name."""
    callback = route.pattern.callback
    module = sys.modules.get(getattr(callback, "__module__", ""), None)
    names: set[str] = set()
    for source_module in {
        module,
        sys.modules.get(getattr(callback, "view_class", callback).__module__),
    }:
        filename = getattr(source_module, "__file__", None)
        if filename is not None:
            with open(filename, encoding="utf-8") as source:
                names.update(PARAMETER_NAME.findall(source.read()))
    return sorted(names)


@dataclass
class World:
    """What the fuzzer may act as and point at in one service."""

    # Each client with the extra WSGI environ (HTTP_… headers) it sends.
    clients: list[tuple[str, Client, dict[str, Any]]]
    known: dict[str, list[str]]
    fields: dict[str, list[str]] = field(default_factory=dict)


def portal_world(settings: Any) -> World:
    from portal.actions import do_add_person_identifier
    from portal.tests.fixtures import make_library_user, make_output, make_person

    settings.ROOT_URLCONF = SERVICES["portal"]
    researcher = make_person()
    output = make_output(researcher)
    identifier = do_add_person_identifier(
        researcher, "orcid", "0000-0002-1825-0097", acting_user=None
    )
    # One item of each type researchers publish directly (activities, prizes, impact,
    # press), so their detail and edit pages are fuzzed at a real address.
    owned = owned_items(researcher)
    # And one of each type the Library validates (projects, datasets, student theses).
    owned += validated_items(researcher, output)
    as_researcher, as_library = Client(), Client()
    user = researcher.user
    assert user is not None
    as_researcher.force_login(user)
    as_library.force_login(make_library_user())
    return World(
        clients=[
            ("anonymous", Client(), {}),
            ("researcher", as_researcher, {}),
            ("library", as_library, {}),
        ],
        known={
            "slug": [researcher.slug],
            "int": [str(output.pk), str(identifier.pk), *owned],
            "uidb64": [urlsafe_base64_encode(force_bytes(user.pk))],
            "token": [default_token_generator.make_token(user)],
            "output_type": ["journal-article", "book"],
        },
    )


def owned_items(researcher: Any) -> list[str]:
    """A public item of each owner-published type, Chris's; their keys as path values."""
    import datetime

    from portal.actions.owned import PersonEntry, do_create_owned_item
    from portal.content import registered

    values: dict[str, dict[str, Any]] = {
        "activities": {"kind": "talk", "start_date": datetime.date(2024, 3, 1)},
        "prizes": {"awarded_on": datetime.date(2007, 11, 20)},
        "impacts": {"description": "Shared borrowing.", "start_date": datetime.date(2006, 1, 1)},
        "press": {"outlet": "RTHK", "published_on": datetime.date(2024, 5, 2)},
    }
    keys = []
    for content_type in registered():
        if content_type.key not in values:
            continue
        model = content_type.public_items().model
        fields = {"title": "HKALL", "status": "public", **values[content_type.key]}
        if "organisation" in model.EDITABLE_FIELDS:
            fields["organisation"] = "HKALL Forum"
        item = do_create_owned_item(
            model, researcher, fields, [PersonEntry(researcher)], acting_user=None
        )
        keys.append(str(item.pk))
    return keys


def validated_items(researcher: Any, output: Any) -> list[str]:
    """A validated (and public) item of each type the Library validates, Chris's."""
    import datetime

    from portal.actions.validated import PersonEntry, do_create_validated_item
    from portal.actions.workflow import do_submit_for_validation, do_validate
    from portal.content import registered

    unit = researcher.positions.first().org_unit
    values: dict[str, dict[str, Any]] = {
        "projects": {"start_date": datetime.date(2022, 9, 1), "related_outputs": [output]},
        "datasets": {"publisher": "CityU", "publication_date": datetime.date(2024, 1, 1)},
        "theses": {
            "student_name": "LEE Siu Ming",
            "degree": "phd",
            "award_date": datetime.date(2020, 6, 1),
            "awarding_unit": unit,
        },
    }
    keys = []
    for content_type in registered():
        if content_type.key not in values:
            continue
        model = content_type.public_items().model
        item = do_create_validated_item(
            model,
            researcher,
            {"title": "HKALL", **values[content_type.key]},
            [PersonEntry(researcher, role="Supervisor")],
            acting_user=None,
        )
        do_submit_for_validation(item, acting_user=None)
        do_validate(item, acting_user=None)
        keys.append(str(item.pk))
    return keys


def orcid_world(settings: Any) -> World:
    from orcid_sandbox import actions
    from orcid_sandbox.tests.fixtures import make_token, work_payload
    from orcid_sandbox.views import SIGN_IN_COOKIE

    settings.ROOT_URLCONF = SERVICES["orcid"]
    settings.ORCID_SANDBOX_BASE_URL = "http://testserver"
    settings.ORCID_SANDBOX_RATE_LIMIT = 0
    account = actions.do_create_account(
        email="chriswong@cityu.edu.hk",
        password="demo-orcid-password",
        given_names="Chris",
        family_name="WONG",
        orcid="0000-0000-0000-0001",
    )
    client, _ = actions.do_register_client(
        client_id="APP-SCHOLARHUBDEMO01",
        client_secret="portal-secret",
        name="CityU Scholars",
        website="http://127.0.0.1:8000",
        redirect_uris=["http://127.0.0.1:8000/backend/orcid/callback"],
    )
    token = make_token(account, client, "/read-limited /activities/update /person/update")
    api = Client()
    posted = api.post(
        f"/api/v3.0/{account.orcid}/work",
        data=json.dumps(work_payload()),
        content_type="application/vnd.orcid+json",
        HTTP_AUTHORIZATION=f"Bearer {token.access_token}",
    )
    put_code = posted["Location"].rsplit("/", 1)[-1] if posted.status_code == 201 else "1"
    signed_in = Client()
    signed_in.cookies[SIGN_IN_COOKIE] = actions.do_sign_in(account)
    return World(
        clients=[
            ("anonymous", Client(), {}),
            ("signed in", signed_in, {}),
            ("member API", Client(), {"HTTP_AUTHORIZATION": f"Bearer {token.access_token}"}),
            ("bad token", Client(), {"HTTP_AUTHORIZATION": "Bearer \x00" + "9" * 300}),
        ],
        known={
            "orcid": [account.orcid, "0000-0000-0000-0002"],
            "put_code": [put_code],
            "put_codes": [put_code, f"{put_code},{put_code}"],
            "int": [put_code],
            "kind": ["works", "external-identifiers", "researcher-urls", "employments"],
        },
    )


def scopus_world(settings: Any, world: Any, api_key: Any) -> World:
    from scopus_sandbox.tests.fixtures import API_KEY, CHRIS_ID, CHRIS_ORCID, HKALL_EID

    settings.ROOT_URLCONF = SERVICES["scopus"]
    settings.SCOPUS_SANDBOX_BASE_URL = "http://testserver"
    settings.SCOPUS_SANDBOX_ORCID_BASE_URL = "http://orcid.test"
    settings.SCOPUS_SANDBOX_ORCID_API_URL = "http://orcid.test/api/v3.0"
    return World(
        clients=[
            ("anonymous", Client(), {}),
            ("API key", Client(), {"HTTP_X_ELS_APIKEY": API_KEY}),
            ("bad key", Client(), {"HTTP_X_ELS_APIKEY": "\x00" * 3}),
        ],
        known={
            "author_id": [CHRIS_ID],
            "eid": [HKALL_EID],
            "orcid": [CHRIS_ORCID],
            "afid": ["60008592"],
            "identifier": [HKALL_EID, "10.1108/02641610610669750"],
            "id_type": ["eid", "doi"],
        },
    )


def make_world(service: str, request: Any, settings: Any) -> World:
    if service == "portal":
        return portal_world(settings)
    if service == "orcid":
        return orcid_world(settings)
    return scopus_world(
        settings, request.getfixturevalue("world"), request.getfixturevalue("api_key")
    )


def path_values(route: Route, known: dict[str, list[str]]) -> st.SearchStrategy[str]:
    """Concrete paths for the route: known objects or anything its converters accept."""
    pattern = route.pattern.pattern
    if isinstance(pattern, RegexPattern):
        return st.from_regex(pattern.regex, fullmatch=True).map(
            lambda path: quote(path.lstrip("^"), safe="/")
        )
    assert isinstance(pattern, RoutePattern)
    pieces: list[st.SearchStrategy[str]] = []
    position = 0
    for match in CONVERTER.finditer(route.template):
        pieces.append(st.just(route.template[position : match.start()]))
        name = match["parameter"]
        converter = pattern.converters[name]
        accepted = st.from_regex(f"(?:{converter.regex})", fullmatch=True)
        good = known.get(name) or known.get(match["converter"] or "") or []
        choices = [accepted] + ([st.sampled_from(good)] * 2 if good else [])
        pieces.append(st.one_of(*choices).map(lambda value: quote(value, safe="")))
        position = match.end()
    pieces.append(st.just(route.template[position:]))
    return st.tuples(*pieces).map("".join)


def good_path(route: Route, known: dict[str, list[str]]) -> str | None:
    """The route with known values in every parameter, if there are some for each."""
    if isinstance(route.pattern.pattern, RegexPattern):
        return None
    path = route.template
    for match in CONVERTER.finditer(route.template):
        good = known.get(match["parameter"]) or known.get(match["converter"] or "")
        if not good:
            return None
        path = path.replace(match[0], quote(good[0], safe=""), 1)
    return path


def check(response: Any, described: str) -> None:
    assert response.status_code < 500, f"{response.status_code} for {described}"
    if 400 <= response.status_code < 500 and response.status_code != 405:
        # 405 names the allowed methods in its Allow header; every other refusal says why.
        assert response.content.strip(), f"an empty {response.status_code} for {described}"


@pytest.mark.django_db(databases=["default", "orcid", "scopus"])
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_no_input_gives_a_500(service: str, request, settings):
    # given: a small world in the service, and every URL pattern it answers
    world = make_world(service, request, settings)
    failures = []
    for route in (route for route in ROUTES if route.service == service and ONLY in str(route)):
        # when: each is fuzzed (hypothesis shrinks a failure to a small request first)
        if str(route) in KNOWN_500S:
            continue
        try:
            fuzz(route, world, field_names(route, world))
        except Exception as error:  # every route is tried, and all its failures reported
            failures.append(f"{route}: {type(error).__name__}: {error}")
    # then
    assert not failures, "\n".join(failures)


def field_names(route: Route, world: World) -> list[str]:
    """The parameters the view reads, and its form fields as each of our visitors sees them."""
    names = set(parameter_names(route))
    path = good_path(route, world.known)
    if (
        path is None
        and "<" not in route.template
        and isinstance(route.pattern.pattern, RoutePattern)
    ):
        path = route.template
    if path is not None:
        for who, client, headers in world.clients:
            response = client.get(f"/{path}", **headers)
            check(response, f"GET /{path} as {who}")
            if response.get("Content-Type", "").startswith("text/html"):
                names.update(FIELD_NAME.findall(response.content.decode("utf-8", "replace")))
            # The simplest hostile input of all: a form sent back empty.
            check(client.post(f"/{path}", {}, **headers), f"POST /{path} {{}} as {who}")
    return sorted(names)


def fuzz(route: Route, world: World, names: list[str]) -> None:
    methods = ["GET", "POST", "PUT", "DELETE"] if route.is_api else ["GET", "POST"]
    parameters = (
        st.dictionaries(st.sampled_from(names) if names else TEXT, TEXT, max_size=6)
        if names
        else st.dictionaries(TEXT, TEXT, max_size=2)
    )

    @FUZZ
    @given(
        who=st.sampled_from(world.clients),
        path=path_values(route, world.known),
        method=st.sampled_from(methods),
        query=parameters,
        form=parameters,
        body=BODIES,
        content_type=st.sampled_from(CONTENT_TYPES),
        accept=st.sampled_from(ACCEPTS),
    )
    def one_request(who, path, method, query, form, body, content_type, accept):
        name, client, headers = who
        url = f"/{path}"
        headers = {**headers, "HTTP_ACCEPT": accept}
        send: Callable[[], Any]
        # when
        if method == "GET":
            described = f"GET {url} {query!r} as {name}"
            send = lambda: client.get(url, query, **headers)  # noqa: E731
        elif route.is_api:
            described = f"{method} {url}?{_encode(query)} {content_type} {body[:300]!r} as {name}"
            send = lambda: client.generic(  # noqa: E731
                method,
                f"{url}?{_encode(query)}",
                body.encode("utf-8", "surrogatepass"),
                content_type,
                **headers,
            )
        else:
            described = f"POST {url} {form!r} as {name}"
            send = lambda: client.post(url, form, **headers)  # noqa: E731
        try:
            response = send()
        except Exception as error:
            raise AssertionError(f"{described[:600]} raised {where(error)}") from error
        # then
        check(response, described)

    one_request()


def where(error: Exception) -> str:
    """The exception and the last line of our own code it passed through."""
    ours = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if "/site-packages/" not in frame.filename and "/tests/" not in frame.filename
    ]
    place = f" at {ours[-1].filename}:{ours[-1].lineno} ({ours[-1].line})" if ours else ""
    return f"{type(error).__name__}: {str(error)[:300]}{place}"


def _encode(query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({key: value.encode("utf-8", "surrogatepass") for key, value in query.items()})
