"""The ORCID sandbox's Content-Security-Policy: the settings' policy, and on a page that leads
to a client (sign-in or authorize with that client's `client_id`), that client's redirect URIs.

ORCID's sign-in and "Authorize" forms end in a redirect to the client's redirect URI, and
Chromium holds redirects after a form post to the page's form-action. Any client registered in
Developer tools must get its code back, so the allowance is per page and per client: each page
names only the origins its own client registered.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from orcid_sandbox.oauth import server


def origin(uri: str) -> str:
    """scheme://host[:port] of a URI: what a CSP source expression names."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def client_id_of(request: HttpRequest) -> str:
    """The client the page leads to: its own `client_id`, or the one in its `next` address."""
    if request.GET.get("client_id"):
        return request.GET["client_id"]
    target = request.GET.get("next") or request.POST.get("next") or ""
    return parse_qs(urlsplit(target).query).get("client_id", [""])[0]


def client_redirect_origins(request: HttpRequest) -> list[str]:
    """The origins of the redirect URIs the page's client registered (none without a client)."""
    client = server.query_client(client_id_of(request))
    if client is None:
        return []
    return sorted({origin(uri) for uri in client.redirect_uri_list() if urlsplit(uri).netloc})


class ClientRedirectCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with form-action widened to the page's client's origins."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origins = client_redirect_origins(request)
        if origins:
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            parts.update = update
        return parts
