"""display() and url_for(): human forms and links, never an exception for a stored value."""

from __future__ import annotations

import pytest

from identifiers import Scheme, display, url_for


@pytest.mark.parametrize(
    ("scheme", "value", "expected"),
    [
        (Scheme.ORCID, "0000-0002-1825-0097", "0000-0002-1825-0097"),
        (Scheme.ISNI, "0000000121032683", "0000 0001 2103 2683"),
        (Scheme.ISBN, "9780306406157", "978-0-306-40615-7"),
        (Scheme.ISSN, "0264-1615", "0264-1615"),
        (Scheme.DOI, "10.1108/abc", "10.1108/abc"),
        (Scheme.SCOPUS_EID, "2-s2.0-33745291715", "2-s2.0-33745291715"),
        (Scheme.PMID, "31452104", "31452104"),
        (Scheme.RESEARCHER_ID, "A-1234-2008", "A-1234-2008"),
    ],
)
def test_display_shows_human_form(scheme: Scheme, value: str, expected: str) -> None:
    assert display(scheme, value) == expected


def test_display_of_unparseable_stored_value_shows_it_unchanged() -> None:
    assert display(Scheme.ORCID, "legacy value") == "legacy value"
    assert display(Scheme.ISNI, "") == ""


def test_url_for_uses_configured_bases() -> None:
    # given
    orcid_base, scopus_base = "http://127.0.0.1:8001/", "http://127.0.0.1:8002"
    # then
    assert url_for(Scheme.ORCID, "0000-0000-0000-0001", orcid_base=orcid_base) == (
        "http://127.0.0.1:8001/0000-0000-0000-0001"
    )
    assert url_for(Scheme.SCOPUS_AUTHOR_ID, "98765432100", scopus_base=scopus_base) == (
        "http://127.0.0.1:8002/authid/detail.uri?authorId=98765432100"
    )
    assert url_for(Scheme.SCOPUS_EID, "2-s2.0-33745291715", scopus_base=scopus_base) == (
        "http://127.0.0.1:8002/inward/record.uri?partnerID=HzOxMe3b&scp=33745291715&origin=inward"
    )


@pytest.mark.parametrize(
    ("scheme", "value", "expected"),
    [
        (Scheme.ORCID, "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "7004212771",
            "https://www.scopus.com/authid/detail.uri?authorId=7004212771",
        ),
        (
            Scheme.SCOPUS_AUTHOR_EID,
            "9-s2.0-7004212771",
            "https://www.scopus.com/authid/detail.uri?authorId=7004212771",
        ),
        (Scheme.AFID, "60008592", "https://www.scopus.com/affil/profile.uri?afid=60008592"),
        (Scheme.DOI, "10.1108/abc", "https://doi.org/10.1108/abc"),
        (
            Scheme.DOI,
            "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
            "https://doi.org/10.1002/(sici)1097-4571(199806)49:8%3C693::aid-asi4%3E3.0.co;2-0",
        ),
        (Scheme.DOI, "10.1000/a#b?c%d", "https://doi.org/10.1000/a%23b%3Fc%25d"),
        (Scheme.PMID, "31452104", "https://pubmed.ncbi.nlm.nih.gov/31452104/"),
        (Scheme.ISNI, "0000000121032683", "https://isni.org/isni/0000000121032683"),
        (
            Scheme.RESEARCHER_ID,
            "A-1234-2008",
            "https://www.webofscience.com/wos/author/record/A-1234-2008",
        ),
        (Scheme.ISBN, "9780306406157", None),
        (Scheme.ISSN, "0264-1615", None),
    ],
)
def test_url_for_links_each_scheme(scheme: Scheme, value: str, expected: str | None) -> None:
    assert url_for(scheme, value) == expected


@pytest.mark.parametrize(
    ("scheme", "value"),
    [
        (Scheme.ORCID, "0000-0002-1825-0097?next=https://evil.example"),
        (Scheme.SCOPUS_AUTHOR_ID, "123&origin=evil"),
        (Scheme.PMID, "../../admin"),
        (Scheme.DOI, "javascript:alert(1)"),
    ],
)
def test_url_for_refuses_to_link_values_that_do_not_parse(scheme: Scheme, value: str) -> None:
    assert url_for(scheme, value) is None


def test_url_for_normalises_a_stored_value_before_linking() -> None:
    assert url_for(Scheme.DOI, "DOI:10.1108/ABC") == "https://doi.org/10.1108/abc"
