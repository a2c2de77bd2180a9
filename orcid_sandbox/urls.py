"""URLs of the ORCID sandbox, laid out like orcid.org (API bases documented in api.py)."""

from collections.abc import Callable

from django.urls import URLPattern, path, register_converter

from orcid_sandbox import api, views
from orcid_sandbox.choices import AffiliationSection
from orcid_sandbox.rendering import SECTION_PLURALS


class OrcidConverter:
    regex = r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OrcidConverter, "orcid")


def search_api(base: str) -> list[URLPattern]:
    """Search and expanded search on one base, with or without the trailing slash."""
    return [
        path(f"{base}/v3.0/{kind}{slash}", api.search_api, {"base": base, "kind": kind}, name=name)
        for kind in ("search", "expanded-search")
        for slash, name in (("/", f"{base}-{kind}"), ("", f"{base}-{kind}-no-slash"))
    ]


def affiliation_routes(route: Callable[..., URLPattern]) -> list[URLPattern]:
    """/distinctions, /distinction and /distinction/{put-code}, and so on for each affiliation
    section beside employment."""
    routes = []
    for section in AffiliationSection:
        listing, new, item = api.affiliation_handlers(section)
        plural = SECTION_PLURALS[section]
        routes += [
            route(f"/{plural}", plural, **listing),
            route(f"/{section}", f"{section}-new", **new),
            route(f"/{section}/<str:put_code>", section, **item),
        ]
    return routes


def record_api(base: str, *, public: bool) -> list[URLPattern]:
    """The API resources under a record on one base (api: member, pub: public).

    The iD and put-codes are matched as any path segment, not by their shape, so that a
    malformed one is answered with ORCID's 400 rather than a 404 page."""

    def route(rest: str, name: str, **handlers: api.Handler) -> URLPattern:
        view = api.resource(public=public, **handlers)
        return path(f"{base}/v3.0/<str:orcid>{rest}", view, name=f"{base}-{name}")

    return [
        route("", "record-root", GET=api.get_record),
        route("/", "record-root-slash", GET=api.get_record),
        route("/record", "record", GET=api.get_record),
        route("/person", "person", GET=api.get_person),
        route("/activities", "activities", GET=api.get_activities),
        route("/works", "works", GET=api.get_works, POST=api.post_works),
        route("/works/<str:put_codes>", "works-bulk", GET=api.get_bulk_works),
        route("/work", "work-new", POST=api.post_work),
        route(
            "/work/<str:put_code>",
            "work",
            GET=api.get_work,
            PUT=api.put_work,
            DELETE=api.delete_work,
        ),
        route("/work/summary/<str:put_code>", "work-summary", GET=api.get_work_summary),
        route(
            "/external-identifiers",
            "external-identifiers",
            GET=api.get_other_ids,
            POST=api.post_other_id,
        ),
        route(
            "/external-identifiers/<str:put_code>",
            "external-identifier",
            GET=api.get_other_id,
            PUT=api.put_other_id,
            DELETE=api.delete_other_id,
        ),
        route(
            "/researcher-urls",
            "researcher-urls",
            GET=api.get_researcher_urls,
            POST=api.post_researcher_url,
        ),
        route(
            "/researcher-urls/<str:put_code>",
            "researcher-url",
            GET=api.get_researcher_url,
            PUT=api.put_researcher_url,
            DELETE=api.delete_researcher_url,
        ),
        route("/keywords", "keywords", GET=api.get_keywords),
        route("/other-names", "other-names", GET=api.get_other_names),
        route("/employments", "employments", GET=api.get_employments),
        route("/employment", "employment-new", POST=api.post_employment),
        route(
            "/employment/<str:put_code>",
            "employment",
            GET=api.get_employment,
            PUT=api.put_employment,
            DELETE=api.delete_employment,
        ),
        route("/fundings", "fundings", GET=api.get_fundings),
        route("/funding", "funding-new", POST=api.post_funding),
        route(
            "/funding/<str:put_code>",
            "funding",
            GET=api.get_funding,
            PUT=api.put_funding,
            DELETE=api.delete_funding,
        ),
        route("/funding/summary/<str:put_code>", "funding-summary", GET=api.get_funding_summary),
        *affiliation_routes(route),
        # Anything else under a record: the record's checks (400, 404, 301, 401) first, then
        # ORCID's 404/9016 in the negotiated representation.
        route("/<path:rest>", "unknown"),
    ]


app_name = "orcid_sandbox"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin", views.sign_in, name="signin"),
    path("signout", views.sign_out, name="signout"),
    path("register", views.register, name="register"),
    path("my-orcid", views.my_orcid, name="my-orcid"),
    path("my-orcid/personal-data", views.edit_personal_data, name="edit-personal-data"),
    path("account/trusted-parties", views.trusted_parties, name="trusted-parties"),
    path("developer-tools", views.developer_tools, name="developer-tools"),
    path("oauth/authorize", views.authorize, name="authorize"),
    path("oauth/token", views.token, name="token"),
    # Some clients post to the API hosts' /oauth/token (api.orcid.org, pub.orcid.org); here the
    # API bases are /api and /pub, so those addresses answer too (reference orcid-api.md §1.1).
    path("api/oauth/token", views.token, name="api-token"),
    path("pub/oauth/token", views.token, name="pub-token"),
    path("oauth/revoke", views.revoke, name="revoke"),
    path("oauth/userinfo", views.userinfo, name="userinfo"),
    path("oauth/jwks", views.jwks, name="jwks"),
    path(
        ".well-known/openid-configuration", views.openid_configuration, name="openid-configuration"
    ),
    *search_api("api"),
    *search_api("pub"),
    *record_api("api", public=False),
    *record_api("pub", public=True),
    path("<orcid:orcid>", views.record, name="record"),
    path("<orcid:orcid>/qr-code.svg", views.qr_code, name="qr-code"),
    path(
        "<orcid:orcid>/works/<int:put_code>/preferred", views.make_preferred, name="make-preferred"
    ),
    path(
        "<orcid:orcid>/works/<int:put_code>/visibility", views.set_visibility, name="set-visibility"
    ),
    path(
        "<orcid:orcid>/<slug:kind>/<int:put_code>/visibility",
        views.set_visibility,
        name="set-item-visibility",
    ),
    path(
        "<orcid:orcid>/<slug:kind>/<int:put_code>/delete",
        views.delete_item,
        name="delete-item",
    ),
]
