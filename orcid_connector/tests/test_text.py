"""Text is cleaned to what ORCID accepts before it is sent (orcid_connector/text.py).

The oracles are ORCID's own rules, not this module's: XML 1.0's Char production as lxml
enforces it (ORCID keeps records as XML), and the maxLength of each element in orcid-model's
XSDs when the shared folder beside the repository holds them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from orcid_connector.text import LIMITS, clean, clean_paragraphs

XSD_FOLDER = (
    Path(__file__).resolve().parents[3] / "shared/orcid-model/orcid-model/src/main/resources"
)
HOSTILE = (
    [chr(code) for code in range(0x00, 0x20)]
    + [chr(code) for code in range(0x7F, 0xA0)]
    + ["\ud800", "\udfff", "\ufffe", "\uffff", "\u2028", "\u2029", "\U0001f600", "王"]
)


def xml_accepts(text: str) -> bool:
    try:
        etree.Element("title").text = text
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("character", HOSTILE, ids=lambda c: f"U+{ord(c):04X}")
def test_every_character_xml_cannot_carry_is_cleaned_from_titles_and_abstracts(character):
    # given: a title with the character between two words
    raw = f"Linking{character}identifiers"
    # when
    title, abstract = clean(raw, "title"), clean_paragraphs(raw, "short-description")
    # then: ORCID's XML can hold both, and the words stay apart or together, never lost
    assert xml_accepts(title), repr(title)
    assert xml_accepts(abstract), repr(abstract)
    assert title.startswith("Linking")
    assert title.endswith("identifiers")


def test_a_vertical_tab_separates_words_and_white_space_is_one_space():
    assert clean("Part one\x0bPart  two\n\t", "title") == "Part one Part two"
    assert clean_paragraphs("First line\r\nSecond\x0bline", "short-description") == (
        "First line\nSecond line"
    )


def test_text_is_nfc_so_one_title_is_one_text():
    assert clean("Cafe\u0301", "title") == "Caf\u00e9"


@pytest.mark.parametrize("field", sorted(LIMITS))
def test_text_is_capped_at_the_xsd_length(field):
    # given: a text far over the limit, whose cut would end in white space
    raw = "ab " * 4000
    # when
    cleaned = clean(raw, field)
    # then
    assert len(cleaned) <= LIMITS[field]
    assert cleaned == cleaned.strip()


XSD_TYPES = {
    "title": "string-1000",
    "subtitle": "string-1000",
    "journal-title": "string-1000",
    "short-description": "short-description",
    "credit-name": "string-150",
    "url-name": "string-350",
    "department-name": "long-text",
    "role-title": "long-text",
    "url": "string-2084",
}


@pytest.mark.skipif(not XSD_FOLDER.exists(), reason=f"orcid-model is not at {XSD_FOLDER}")
def test_the_limits_are_the_ones_orcids_xsds_set():
    # given: the maxLength of each simple type in orcid-model's common schema
    schema = etree.parse(str(XSD_FOLDER / "common_3.0/common-3.0.xsd"))
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
    lengths = {
        node.get("name"): int(node.find(".//xs:maxLength", xs).get("value"))
        for node in schema.findall("xs:simpleType", xs)
        if node.find(".//xs:maxLength", xs) is not None
    }
    # the researcher URL's name is typed in its own schema
    assert re.search(
        r'name="url-name"\s+type="common:string-350"',
        (XSD_FOLDER / "record_3.0/researcher-url-3.0.xsd").read_text(),
    )
    # then
    assert {field: lengths[XSD_TYPES[field]] for field in LIMITS} == LIMITS
