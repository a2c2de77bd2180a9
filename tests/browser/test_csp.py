"""The Content-Security-Policy of the three live services: sent on every page, enforced by the
browser, and every violation seen by the check the other browser tests rely on."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.browser.checks import watch_csp_violations

pytestmark = pytest.mark.browser

SCOPUS_CLIENT = "0000-0002-5982-8983"

INJECT_INLINE_SCRIPT = """() => new Promise((resolve) => {
  document.addEventListener("securitypolicyviolation", (event) => {
    resolve({ran: window.injectedScriptRan === true, directive: event.effectiveDirective});
  });
  // Without a policy no event comes: answer anyway, so the test fails instead of hanging.
  setTimeout(() => resolve({ran: window.injectedScriptRan === true, directive: null}), 5000);
  const script = document.createElement("script");
  script.textContent = "window.injectedScriptRan = true";
  document.body.append(script);
})"""


def directives(header: str) -> dict[str, list[str]]:
    """A policy header as {directive: [sources]}."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def test_each_service_sends_its_policy(live_services):
    # given: a page, an API answer and a redirect of each service
    urls = {
        "portal": [f"{live_services.portal}/", f"{live_services.portal}/backend/"],
        "orcid": [f"{live_services.orcid}/signin", f"{live_services.orcid}/oauth/jwks"],
        "scopus": [f"{live_services.scopus}/authors/", f"{live_services.scopus}/content/author"],
    }
    # where forms may lead, beyond the service itself: the OAuth flows' next stop (ORCID's
    # pages lead to a client only when they are for one: see the next test)
    form_targets = {
        "portal": {live_services.orcid},
        "orcid": set(),
        "scopus": {live_services.orcid},
    }
    for service, service_urls in urls.items():
        for url in service_urls:
            # when
            response = httpx.get(url)
            # then
            policy = directives(response.headers["Content-Security-Policy"])
            assert policy["default-src"] == ["'self'"], url
            assert policy["script-src"] == ["'self'"], url
            assert policy["style-src"] == ["'self'"], url
            assert policy["frame-ancestors"] == ["'none'"], url
            assert set(policy["form-action"]) == {"'self'", *form_targets[service]}, url


def test_orcid_pages_for_a_client_may_send_the_browser_back_to_it(live_services):
    # given: the sign-in page on the way to authorizing the portal, and Scopus's authorize page
    portal_next = (
        "/oauth/authorize?client_id=APP-SCHOLARHUBDEMO01&response_type=code&scope=/authenticate"
    )
    pages = {
        live_services.portal: httpx.get(f"{live_services.orcid}/signin?next={quote(portal_next)}"),
        live_services.scopus: httpx.get(
            f"{live_services.orcid}/oauth/authorize?client_id={SCOPUS_CLIENT}&response_type=code"
        ),
    }
    for client_origin, response in pages.items():
        # then: that client's origin, and no other
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["form-action"] == ["'self'", client_origin]


def test_an_injected_inline_script_is_refused_and_reported(browser, live_services):
    for base in (live_services.portal, live_services.orcid, live_services.scopus):
        # given: a page of the service, watched as every browser test's page is
        context = browser.new_context()
        seen = watch_csp_violations(context)
        page = context.new_page()
        page.goto(f"{base}/")
        # when: an inline script is added to it, as an injection would
        refused = page.evaluate(INJECT_INLINE_SCRIPT)
        context.close()
        # then: it did not run, and the watch saw why
        assert refused == {"ran": False, "directive": "script-src-elem"}, base
        assert any("script-src-elem blocked inline" in line for line in seen), (base, seen)
