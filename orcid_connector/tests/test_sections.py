"""The payload builders of the new ORCID sections: what they write is valid against ORCID's own
v3.0 XSDs (lxml's XML Schema validator, as the sandbox's tests use), and data ORCID would refuse
is refused here first, with a reason."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from orcid_connector import export_sections
from orcid_connector.choices import ExportKind
from orcid_connector.sections import (
    AffiliationEntry,
    FundingContributor,
    FundingItem,
    Organization,
    Period,
    SectionError,
)

XSD_FOLDER = (
    Path(__file__).resolve().parents[3] / "shared/orcid-model/orcid-model/src/main/resources"
)
SCHEMAS = {
    "funding": "record_3.0/funding-3.0.xsd",
    "distinction": "record_3.0/distinction-3.0.xsd",
    "membership": "record_3.0/membership-3.0.xsd",
    "service": "record_3.0/service-3.0.xsd",
    "invited-position": "record_3.0/invited-position-3.0.xsd",
}
pytestmark = pytest.mark.skipif(
    not XSD_FOLDER.exists(), reason=f"orcid-model is not at {XSD_FOLDER}"
)


@functools.cache
def schema() -> etree.XMLSchema:
    imports = "".join(
        f'<xs:import namespace="http://www.orcid.org/ns/{name}" '
        f'schemaLocation="{(XSD_FOLDER / path).as_uri()}"/>'
        for name, path in SCHEMAS.items()
    )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:scholarhub:sections">{imports}</xs:schema>'
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=f"{XSD_FOLDER}/"))


def assert_valid(document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    checker = schema()
    assert checker.validate(root), checker.error_log
    return root


RGC = Organization(
    name="Research Grants Council",
    city="Wan Chai",
    country="HK",
    disambiguated_id="http://dx.doi.org/10.13039/501100002920",
    disambiguation_source="FUNDREF",
)


def a_funding(**changes: object) -> FundingItem:
    fields: dict[str, object] = {
        "key": "project:12",
        "source_id": "scholarhub-project-12",
        "title": "Resource sharing among Hong Kong libraries",
        "organization": RGC,
        "grant_number": "CityU 11200323",
        "period": Period(date(2023, 9, 1), date(2026, 8, 31)),
        "url": "http://127.0.0.1:8000/projects/12",
        "short_description": "A shared catalogue.\nFor eight universities.",
        "amount": "850000",
        "currency": "HKD",
        "contributors": (FundingContributor("Chris WONG", "lead", "0000-0000-0000-0001"),),
    }
    fields.update(changes)
    return FundingItem(**fields)  # type: ignore[arg-type]


def test_a_full_funding_is_valid_and_says_what_the_portal_knows() -> None:
    # given
    item = a_funding()
    # when
    body = item.body()
    root = assert_valid(item.xml())
    # then: grant number and the portal's own id, both self
    ids = body["external-ids"]["external-id"]
    assert [(i["external-id-type"], i["external-id-relationship"]) for i in ids] == [
        ("grant_number", "self"),
        ("source-work-id", "self"),
    ]
    assert body["organization"]["disambiguated-organization"]["disambiguation-source"] == "FUNDREF"
    assert body["start-date"] == {
        "year": {"value": "2023"},
        "month": {"value": "09"},
        "day": {"value": "01"},
    }
    assert body["contributors"]["contributor"][0]["contributor-attributes"] == {
        "contributor-role": "lead"
    }
    assert root.findtext("{http://www.orcid.org/ns/funding}type") == "grant"


def test_a_minimal_funding_is_valid() -> None:
    item = FundingItem(
        key="project:1", source_id="scholarhub-project-1", title="T", organization=RGC
    )
    assert_valid(item.xml())
    assert set(item.body()) == {"type", "title", "external-ids", "organization"}


@pytest.mark.parametrize(
    "kind",
    [
        ExportKind.DISTINCTION,
        ExportKind.MEMBERSHIP,
        ExportKind.SERVICE,
        ExportKind.INVITED_POSITION,
    ],
)
def test_each_affiliation_kind_is_valid_in_its_own_namespace(kind: ExportKind) -> None:
    # given
    item = AffiliationEntry(
        kind=kind,
        key="activity:3",
        source_id="scholarhub-activity-3",
        organization=RGC,
        role_title="Panel member",
        department_name="Humanities and Social Sciences Panel",
        period=Period(date(2022, 1, 1), date(2024, 12, 1), precision="month"),
        url="http://127.0.0.1:8000/activities/3",
    )
    # when
    root = assert_valid(item.xml())
    # then
    assert etree.QName(root).localname == kind.value
    assert item.body()["end-date"] == {"year": {"value": "2024"}, "month": {"value": "12"}}


def test_hostile_text_is_cleaned_and_the_document_stays_valid() -> None:
    # given: a pasted title with a vertical tab, a NUL, an escape and a lone surrogate
    item = a_funding(
        title="Part\x0bOne\x00 \x1b[31mred\ud800 " + "x" * 2000,
        short_description="\x00",
        grant_number=" G\x0b1 ",
    )
    # when
    body = item.body()
    assert_valid(item.xml())
    # then
    title = body["title"]["title"]["value"]
    assert title.startswith("Part One [31mred ")
    assert len(title) == 1000
    assert "short-description" not in body
    assert body["external-ids"]["external-id"][0]["external-id-value"] == "G 1"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: a_funding(title=" \x00 "), "title"),
        (lambda: a_funding(funding_type="gift"), "funding type"),
        (lambda: a_funding(amount="10", currency=""), "currency"),
        (lambda: Period(None, date(2020, 1, 1)), "start date"),
        (lambda: Period(date(2021, 1, 1), date(2020, 1, 1)), "before the start"),
        (lambda: FundingContributor("X", "boss"), "funding role"),
        (
            lambda: Organization("Somewhere", "City", "HK", "", "RINGGOLD"),
            "Ringgold, ROR or FundRef",
        ),
        (lambda: Organization("Somewhere", "City", "Hong Kong", "1", "ROR"), "country"),
        (lambda: Organization("", "City", "HK", "1", "ROR"), "name and a city"),
        (
            lambda: AffiliationEntry(
                kind=ExportKind.WORK, key="k", source_id="s", organization=RGC
            ),
            "affiliation",
        ),
    ],
)
def test_what_orcid_would_refuse_is_refused_with_a_reason(make: object, reason: str) -> None:
    with pytest.raises(SectionError, match=reason):
        make()  # type: ignore[operator]


def test_the_same_data_makes_the_same_body() -> None:
    # The engine compares content hashes: equal data must give equal bodies.
    assert a_funding().body() == a_funding().body()
    assert a_funding().body() != a_funding(title="Another").body()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Principal investigator", "lead"),
        ("PI", "lead"),
        ("Co-investigator", "co-lead"),
        ("Co-Principal Investigator", "co-lead"),
        ("Research assistant", "other-contribution"),
        ("", "other-contribution"),
    ],
)
def test_participant_roles_become_orcids_funding_roles(role: str, expected: str) -> None:
    assert export_sections.funding_role(role) == expected


def test_organisations_get_their_disambiguated_id_or_none(settings: Any) -> None:
    # given: the institution (from its settings) and one organisation the Library added
    settings.ORCID_ORGANIZATION_IDS = {
        " Research Grants Council ": {"source": "fundref", "id": "501100002920", "city": "Wan Chai"}
    }
    # when
    institution = export_sections.organization(settings.PORTAL_INSTITUTION_NAME.upper())
    funder = export_sections.organization("research grants council", country="hk")
    # then
    assert institution is not None
    assert (institution.disambiguation_source, institution.disambiguated_id) == (
        "RINGGOLD",
        settings.PORTAL_INSTITUTION_RINGGOLD,
    )
    assert funder is not None
    assert (funder.disambiguation_source, funder.city, funder.country) == (
        "FUNDREF",
        "Wan Chai",
        "HK",
    )
    # an unknown organisation, and a known one without a country, have none
    assert export_sections.organization("Somewhere Society") is None
    assert export_sections.organization("Research Grants Council") is None
