"""The one Accept-header parser: RFC 9110 q-values, specificity, and hostile headers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from utilities.negotiation import (
    MAX_HEADER_LENGTH,
    MAX_RANGES,
    UNREADABLE_QUALITY,
    MediaRange,
    parse_accept,
)

ORCID_OFFERS = {
    "application/vnd.orcid+xml": 0.5,
    "application/vnd.orcid+json": 0.4,
    "application/xml": 0.15,
    "application/json": 0.1,
}


@pytest.mark.parametrize("header", [None, "", "  ", ",", ", ,\t,", "," * 10_000])
def test_absent_or_empty_header_accepts_anything_at_full_weight(header):
    # when
    accept = parse_accept(header)
    # then
    assert accept.quality("application/json") == 1.0
    assert accept.quality("image/png") == 1.0
    assert accept.choose(ORCID_OFFERS) == "application/vnd.orcid+xml"


@pytest.mark.parametrize(
    ("header", "quality"),
    [
        ("application/json", 1.0),
        ("APPLICATION/JSON", 1.0),
        ("application/json;q=0.5", 0.5),
        ("application/json ; Q=0.25", 0.25),
        ("application/json;q=1.000", 1.0),
        ("application/json;q=0.", 0.0),
        ("application/json;q=0.001", 0.001),
        ("application/json; charset=utf-8; q=0.3", 0.3),
        ("application/json;q=0.3;ext=1;q=0.9", 0.3),  # after the first q comes accept-ext
        ("text/html", 0.0),
    ],
)
def test_quality_reads_rfc_9110_weights(header, quality):
    assert parse_accept(header).quality("application/json") == quality


@pytest.mark.parametrize(
    "weight", ["abc", "nan", "inf", "2", "1.5", "-0.5", "0.5000", ".5", '"0.5"', "", "1e-1"]
)
def test_unreadable_weight_keeps_the_range_at_the_lowest_weight(weight):
    # when
    accept = parse_accept(f"application/json;q={weight}, application/xml;q=0.002")
    # then: still acceptable, but outranked by any readable weight
    assert accept.quality("application/json") == UNREADABLE_QUALITY
    assert accept.choose({"application/json": 1.0, "application/xml": 1.0}) == "application/xml"


@pytest.mark.parametrize(
    ("header", "quality"),
    [
        ("application/json;q=0, */*", 0.0),
        ("*/*, application/json;q=0", 0.0),
        ("application/*;q=0.2, */*;q=0.9", 0.2),
        ("application/*;q=0, application/json;q=0.4", 0.4),
        ("*/*;q=0.7", 0.7),
        ("text/*, */*;q=0.1", 0.1),
        ("application/json;q=0.2, application/json;q=0.6", 0.6),
    ],
)
def test_most_specific_range_decides(header, quality):
    assert parse_accept(header).quality("application/json") == quality


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("application/json, application/xml", "application/xml"),  # a tie goes to XML
        ("application/json", "application/json"),
        ("application/json;q=0.5, application/xml", "application/xml"),
        ("application/*;q=0.5, application/vnd.orcid+json", "application/vnd.orcid+json"),
        ("text/html", None),
        ("application/*;q=0", None),
    ],
)
def test_choose_weighs_caller_and_server_preferences(header, chosen):
    assert parse_accept(header).choose(ORCID_OFFERS) == chosen


@pytest.mark.parametrize(
    "header",
    [
        "\x00",
        ";;;,,,",
        "a" * 10_000,
        "json",
        "*/json",
        "application/",
        "/json",
        "application/js on",
        "appli\u00e7ation/json",
        "application/json\x7f",
    ],
)
def test_header_with_only_malformed_ranges_accepts_nothing(header):
    # when
    accept = parse_accept(header)
    # then
    assert accept.ranges == ()
    assert accept.quality("application/json") == 0.0
    assert accept.choose(ORCID_OFFERS) is None


def test_malformed_ranges_are_skipped_beside_good_ones():
    # when
    accept = parse_accept("*/json, \x00, application/json;q=0.4")
    # then
    assert accept.ranges == (MediaRange("application", "json", 0.4),)


def test_ranges_past_the_limit_are_not_read():
    # given: the JSON range comes after MAX_RANGES refusals
    header = ", ".join(["text/html"] * MAX_RANGES + ["application/json"])
    # when
    accept = parse_accept(header)
    # then
    assert len(accept.ranges) == MAX_RANGES
    assert not accept.accepts("application/json")


def test_a_range_cut_by_the_length_limit_is_not_trusted():
    # given: a range whose q-value straddles the limit
    head = "text/html," * ((MAX_HEADER_LENGTH - 30) // 10)
    header = head + "application/json;q=0.00" + "0" * 100
    # when
    accept = parse_accept(header)
    # then: the cut range is dropped, the header still counts as stated
    assert not accept.accepts("application/json")
    assert accept.accepts("text/html")


def test_huge_hostile_header_is_read_only_up_to_the_limit():
    # given: a megabyte of ranges, none of which is JSON
    header = "text/html;q=0.1," * 65_536
    # when
    accept = parse_accept(header)
    # then
    assert len(accept.ranges) == MAX_RANGES
    assert not accept.accepts("application/json")


@given(st.text(max_size=300))
def test_any_text_parses_to_weights_between_zero_and_one(header):
    # when
    accept = parse_accept(header)
    # then
    assert 0.0 <= accept.quality("application/json") <= 1.0
    assert accept.choose(ORCID_OFFERS) in (None, *ORCID_OFFERS)
    assert all(0.0 <= media_range.quality <= 1.0 for media_range in accept.ranges)
