"""Pages that a strict Content-Security-Policy allows: no template of any app carries inline
script, style or event handlers, and every response carries the policy.

The browser tests (tests/browser/test_csp.py and the page fixtures) check rendered pages in
Chromium; this catches an inline script in a template that no browser test opens.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = sorted(Path(settings.BASE_DIR).glob("*/templates/**/*.html"))

# What `script-src 'self'` / `style-src 'self'` refuse, as it appears in template source.
# Data blocks (<script type="application/ld+json">) are not scripts: the policy lets them be.
FORBIDDEN = {
    "inline script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
    ),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


# Template comments reach no page; blanked, keeping line numbers.
COMMENTS = re.compile(r"\{#.*?#\}|\{% comment[^%]*%\}.*?\{% endcomment %\}", re.S)


def inline_code(text: str) -> list[str]:
    """Each line of a template that the policy would refuse, with what it is."""
    text = COMMENTS.sub(lambda comment: "\n" * comment.group().count("\n"), text)
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found.extend(f"{number}: {kind}" for kind, rule in FORBIDDEN.items() if rule.search(line))
    return found


def test_the_rules_see_what_the_policy_refuses():
    # given: template lines a strict policy would refuse, and ones it allows
    refused = [
        "<script>alert(1)</script>",
        '<div style="color: red">',
        "<style>p { color: red }</style>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ]
    allowed = [
        "<script src=\"{% static 'exercise/progress.js' %}\" defer></script>",
        '<script type="application/ld+json">{{ jsonld }}</script>',
        '<li class="unit-tree__item unit-tree__item--depth-1">',
        "<p>A styled line on online journals</p>",
        "{# Cytoscape adds no inline <style> once its sheet is linked. #}",
        "{% comment %}<script>old()</script>{% endcomment %}",
    ]
    # then
    assert all(inline_code(line) for line in refused)
    assert not any(inline_code(line) for line in allowed)


def test_the_templates_are_found():
    # a glob that matched nothing would make the next test pass for nothing
    apps = {path.relative_to(settings.BASE_DIR).parts[0] for path in TEMPLATES}
    assert {"portal", "orcid_sandbox", "scopus_sandbox", "exercise"} <= apps


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR))
)
def test_no_template_has_inline_script_or_style(template):
    # when
    found = inline_code(template.read_text(encoding="utf-8"))
    # then: move it to the app's static files (or a class in its stylesheet)
    assert not found, f"{template}: {found}"


@pytest.mark.django_db
def test_every_response_carries_the_policy(client):
    # given: a page, a redirect and a static-free 404
    for url in (reverse("portal:home"), reverse("portal:backend-home"), "/no-such-page/"):
        # when
        response = client.get(url)
        # then
        policy = {
            directive.split()[0]: directive.split()[1:]
            for directive in response["Content-Security-Policy"].split(";")
        }
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert "'self'" in policy["form-action"], url
