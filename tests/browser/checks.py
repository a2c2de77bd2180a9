"""Checks every browser test applies to the pages it sees: axe-core's WCAG 2.1 A/AA rules, and
no Content-Security-Policy violation.

axe-core is the vendored copy in `vendor/axe-core/` (see its README for version and licence),
evaluated through the DevTools protocol, which a page's CSP does not govern: the check neither
needs nor hides a policy exception.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, Page

AXE_VERSION = "4.14.1"
AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
# WCAG 2.0 and 2.1, levels A and AA: what the issue asks every page to pass.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs in every page of a watched context before the page's own scripts: a violation event
# (blocked script, style, image, frame or form target) is handed to the test's binding.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} on ${event.documentURI}`
  );
});
"""


@cache
def axe_source() -> str:
    """The vendored axe-core, refused if it is not the pinned file."""
    source = AXE_SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    assert digest == AXE_SHA256, f"{AXE_SOURCE} is not axe-core {AXE_VERSION} ({digest})"
    return source.decode("utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page as it is now; the violations found."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        """tags => axe.run(document, {
          runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
        })""",
        WCAG_TAGS,
    )
    assert result["testEngine"]["version"] == AXE_VERSION
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One readable line per failing element: rule, impact, selector, axe's summary."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"{violation['id']} ({violation['impact']}) at {target}: {summary}")
    return "\n".join(lines)


def watch_csp_violations(context: BrowserContext) -> list[str]:
    """Record every CSP violation in the context's pages: the events the pages fire, and the
    console errors Chromium logs (a blocked form target after a redirect is logged only)."""
    seen: list[str] = []
    context.expose_binding("__reportCspViolation", lambda _source, text: seen.append(text))
    context.add_init_script(_CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            seen.append(message.text)

    context.on("console", on_console)
    return seen


def assert_no_csp_violation(seen: list[str]) -> None:
    """Fail with the violations a watched context recorded."""
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)
