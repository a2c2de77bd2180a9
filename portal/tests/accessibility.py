"""Accessibility basics any page must have (language, skip link, one h1, labelled controls,
unique ids), as a check other apps' page tests call too."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset"}


@dataclass
class PageFacts:
    """What the checks need from one HTML page."""

    lang: str | None = None
    h1_count: int = 0
    ids: list[str] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)
    # (tag, id, labelled by wrapping <label> or aria-label)
    controls: list[tuple[str, str | None, bool]] = field(default_factory=list)
    skip_link_target: str | None = None


class FactsParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.facts = PageFacts()
        self.label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.facts.ids.append(str(attributes["id"]))
        if tag == "html":
            self.facts.lang = attributes.get("lang")
        elif tag == "h1":
            self.facts.h1_count += 1
        elif tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.facts.label_targets.add(str(attributes["for"]))
        elif tag == "a" and "skip-link" in (attributes.get("class") or ""):
            self.facts.skip_link_target = (attributes.get("href") or "").lstrip("#")
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and attributes.get("type") in UNLABELLED_INPUT_TYPES:
                return
            labelled = self.label_depth > 0 or bool(attributes.get("aria-label"))
            self.facts.controls.append((tag, attributes.get("id"), labelled))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1


def facts_of(html: str) -> PageFacts:
    parser = FactsParser()
    parser.feed(html)
    return parser.facts


def assert_accessible(html: str) -> None:
    facts = facts_of(html)
    assert facts.lang == "en"
    assert facts.h1_count == 1, f"{facts.h1_count} h1 elements"
    assert facts.skip_link_target == "main"
    assert "main" in facts.ids
    duplicates = {value for value in facts.ids if facts.ids.count(value) > 1}
    assert not duplicates, f"duplicate ids {duplicates}"
    for tag, control_id, labelled in facts.controls:
        assert labelled or control_id in facts.label_targets, f"unlabelled <{tag} id={control_id}>"
