"""URLs of the ORCID sandbox, laid out like orcid.org (API bases documented in api.py)."""

from django.urls import path, re_path, register_converter

from orcid_sandbox import api, views


class OrcidConverter:
    regex = r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OrcidConverter, "orcid")

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
    re_path(
        r"^(?P<base>api|pub)/v3\.0/(?P<kind>search|expanded-search)/?$",
        api.search_api,
        name="search-api",
    ),
    re_path(
        r"^api/v3\.0/(?P<orcid>[^/]+)/?(?P<path>.*)$",
        api.member_api,
        name="member-api",
    ),
    re_path(
        r"^pub/v3\.0/(?P<orcid>[^/]+)/?(?P<path>.*)$",
        api.public_api,
        name="public-api",
    ),
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
