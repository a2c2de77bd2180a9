"""ISNI and Web of Science ResearcherID."""

from __future__ import annotations

import pytest

from identifiers import IdentifierError, Scheme, display, normalise


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        (Scheme.ISNI, "0000 0001 2103 2683", "0000000121032683"),
        (Scheme.ISNI, "0000000121032683", "0000000121032683"),
        (Scheme.ISNI, "ISNI 0000-0001-2103-2683", "0000000121032683"),
        (Scheme.ISNI, "https://isni.org/isni/0000000121032683", "0000000121032683"),
        (Scheme.ISNI, "http://www.isni.org/0000000121032683/", "0000000121032683"),
        (Scheme.ISNI, "0000 0002 1694 233x", "000000021694233X"),
        (Scheme.RESEARCHER_ID, "a-1234-2008", "A-1234-2008"),
        (Scheme.RESEARCHER_ID, "AAB-1234-2019", "AAB-1234-2019"),
        (Scheme.RESEARCHER_ID, "ResearcherID: B\u20135678\u20132010", "B-5678-2010"),
        (
            Scheme.RESEARCHER_ID,
            "https://www.webofscience.com/wos/author/record/AAB-1234-2019",
            "AAB-1234-2019",
        ),
        (Scheme.RESEARCHER_ID, "http://www.researcherid.com/rid/A-1234-2008", "A-1234-2008"),
    ],
)
def test_normalise_names_accepts_usual_forms(scheme: Scheme, raw: str, expected: str) -> None:
    # when
    value = normalise(scheme, raw)
    # then
    assert value == expected
    assert normalise(scheme, value) == value


@pytest.mark.parametrize(
    ("scheme", "raw", "message"),
    [
        (Scheme.ISNI, "0000 0001 2103 2684", "ISNI check digit should be 3, not 4"),
        (Scheme.ISNI, "0000 0001", "ISNI must be 16 characters, like 0000 0001 2103 2683"),
        (Scheme.ISNI, "0000 000X 2103 2683", "ISNI must be 16 characters"),
        (Scheme.ISNI, "https://orcid.org/0000000121032683", "ISNI URL must be on isni.org"),
        (Scheme.RESEARCHER_ID, "1234-2008", "ResearcherID must be one to three letters"),
        (Scheme.RESEARCHER_ID, "12-34", "ResearcherID must be one to three letters"),
        (Scheme.RESEARCHER_ID, "ABCD-1234-2008", "ResearcherID must be one to three letters"),
        (Scheme.RESEARCHER_ID, "A-123-2008", "ResearcherID must be one to three letters"),
        (
            Scheme.RESEARCHER_ID,
            "A-1234-3008",
            "ResearcherID must end with the year it was registered; '3008' is not a year",
        ),
        (
            Scheme.RESEARCHER_ID,
            "https://example.org/A-1234-2008",
            "ResearcherID URL must be a Web of Science profile, not on example.org",
        ),
    ],
)
def test_normalise_names_refuses_with_specific_message(
    scheme: Scheme, raw: str, message: str
) -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    # then
    assert str(caught.value).startswith(message)
    assert caught.value.scheme is scheme


def test_display_isni_groups_of_four() -> None:
    assert display(Scheme.ISNI, "0000000121032683") == "0000 0001 2103 2683"


@pytest.mark.parametrize("raw", ["\u0131-1234-2008", "\ufb00-1234-2019", "\u017f-1234-2008"])
def test_normalise_researcher_id_refuses_letters_that_upper_case_into_ascii(raw: str) -> None:
    # given: dotless i, the "ff" ligature and the long s, which str.upper() turns into ASCII
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.RESEARCHER_ID, raw)
    # then: refused, rather than stored as letters the person never typed
    assert str(caught.value) == (
        "ResearcherID must be one to three letters, four digits and a year, like A-1234-2008"
    )
