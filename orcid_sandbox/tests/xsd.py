"""ORCID's XSDs, for tests that check the registry's XML documents against them."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from lxml import etree

MODEL = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "orcid-model"
    / "orcid-model"
    / "src"
    / "main"
    / "resources"
)
# Each namespace the registry writes, and the XSD that defines it (upstream paths).
SCHEMAS = {
    "activities": "record_3.0/activities-3.0.xsd",
    "work": "record_3.0/work-3.0.xsd",
    "external-identifier": "record_3.0/person-external-identifier-3.0.xsd",
    "error": "record_3.0/error-3.0.xsd",
    "bulk": "record_3.0/bulk-3.0.xsd",
    "record": "record_3.0/record-3.0.xsd",
    "person": "record_3.0/person-3.0.xsd",
    "keyword": "record_3.0/keyword-3.0.xsd",
    "other-name": "record_3.0/other-name-3.0.xsd",
    "researcher-url": "record_3.0/researcher-url-3.0.xsd",
    "employment": "record_3.0/employment-3.0.xsd",
    "funding": "record_3.0/funding-3.0.xsd",
    "distinction": "record_3.0/distinction-3.0.xsd",
    "education": "record_3.0/education-3.0.xsd",
    "invited-position": "record_3.0/invited-position-3.0.xsd",
    "membership": "record_3.0/membership-3.0.xsd",
    "qualification": "record_3.0/qualification-3.0.xsd",
    "service": "record_3.0/service-3.0.xsd",
    "search": "record_3.0/search-3.0.xsd",
    "expanded-search": "record_3.0/expanded-search-3.0.xsd",
}


@functools.cache
def schema() -> etree.XMLSchema:
    """All the XSDs at once, through one schema importing each namespace."""
    if not MODEL.exists():
        pytest.skip(f"ORCID's XSDs are not at {MODEL} (the shared folder beside the repository)")
    imports = "".join(
        f'<xs:import namespace="http://www.orcid.org/ns/{name}" '
        f'schemaLocation="{(MODEL / path).as_uri()}"/>'
        for name, path in SCHEMAS.items()
    )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="urn:scholarhub:all-orcid">' + imports + "</xs:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=str(MODEL) + "/"))


def assert_valid(content: bytes) -> etree._Element:
    document = etree.fromstring(content)
    checker = schema()
    assert checker.validate(document), checker.error_log
    return document
