"""Every scheme: the forms people paste are accepted, and each fault is named precisely."""

from __future__ import annotations

import pytest

from identifiers import IdentifierError, Scheme, detect, display, normalise, url_for


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        (Scheme.ORCID, "0000-0002-1825-0097", "0000-0002-1825-0097"),
        (Scheme.ORCID, "0000000218250097", "0000-0002-1825-0097"),
        (Scheme.ORCID, "https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        (Scheme.ORCID, " http://sandbox.orcid.org/0000-0002-1694-233x/ ", "0000-0002-1694-233X"),
        (Scheme.ORCID, "orcid.org/0009-0003-7578-3214", "0009-0003-7578-3214"),
        (Scheme.ORCID, "0000-0000-0000-0001", "0000-0000-0000-0001"),
        (Scheme.SCOPUS_AUTHOR_ID, "98765432100", "98765432100"),
        (Scheme.SCOPUS_AUTHOR_ID, "7004212771", "7004212771"),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "https://www.scopus.com/authid/detail.uri?authorId=98765432100",
            "98765432100",
        ),
        (Scheme.SCOPUS_AUTHOR_ID, "9-s2.0-98765432100", "98765432100"),
        (Scheme.SCOPUS_EID, "2-s2.0-33745291715", "2-s2.0-33745291715"),
        (Scheme.SCOPUS_EID, "2-S2.0-0033745291", "2-s2.0-0033745291"),
        (Scheme.SCOPUS_AUTHOR_EID, "9-s2.0-98765432100", "9-s2.0-98765432100"),
        (Scheme.AFID, "60008592", "60008592"),
        (Scheme.AFID, "AF-ID(60008592)", "60008592"),
        (Scheme.DOI, "10.1108/02641610610669750", "10.1108/02641610610669750"),
        (Scheme.DOI, "https://doi.org/10.1108/02641610610669750", "10.1108/02641610610669750"),
        (Scheme.DOI, "http://dx.doi.org/10.1002/ASI.20042", "10.1002/asi.20042"),
        (Scheme.DOI, "doi:10.1000/XYZ123", "10.1000/xyz123"),
        (Scheme.DOI, "DOI 10.1000/xyz123", "10.1000/xyz123"),
        (Scheme.DOI, "https://doi.org/10.1000%2Fabc%28def%29", "10.1000/abc(def)"),
        (Scheme.DOI, "info:doi/10.1000/abc", "10.1000/abc"),
        (Scheme.ISBN, "0-306-40615-2", "9780306406157"),
        (Scheme.ISBN, "978-0-306-40615-7", "9780306406157"),
        (Scheme.ISBN, "ISBN 978 0 306 40615 7", "9780306406157"),
        (Scheme.ISBN, "0-8044-2957-x", "9780804429573"),
        (Scheme.ISSN, "0264-1615", "0264-1615"),
        (Scheme.ISSN, "02641615", "0264-1615"),
        (Scheme.ISSN, "ISSN 2434-561x", "2434-561X"),
        (Scheme.RESEARCHER_ID, "a-1234-2008", "A-1234-2008"),
        (Scheme.RESEARCHER_ID, "AAB-1234-2019", "AAB-1234-2019"),
        (Scheme.ISNI, "0000 0001 2103 2683", "0000000121032683"),
        (Scheme.ISNI, "https://isni.org/isni/0000000121032683", "0000000121032683"),
        (Scheme.PMID, "PMID: 0012345", "12345"),
        (Scheme.PMID, "https://pubmed.ncbi.nlm.nih.gov/31452104/", "31452104"),
    ],
)
def test_normalise_accepts_usual_forms(scheme: Scheme, raw: str, expected: str) -> None:
    # when
    value = normalise(scheme, raw)
    # then
    assert value == expected
    assert normalise(scheme, value) == value


@pytest.mark.parametrize(
    ("scheme", "raw", "message"),
    [
        (Scheme.ORCID, "0000-0000-0000-0000", "ORCID iD check digit should be 1, not 0"),
        (Scheme.ORCID, "0000-0002-1825-0098", "ORCID iD check digit should be 7, not 8"),
        (Scheme.ORCID, "0000-0002-1825", "ORCID iD must be 16 characters in four groups"),
        (Scheme.ORCID, "０000-0002-1825-0097", "ORCID iD must be written with the digits 0-9"),
        (Scheme.ORCID, "0000-0002-1825-0097\x00", "ORCID iD contains an invisible control"),
        (Scheme.ORCID, "   ", "ORCID iD is empty"),
        (Scheme.ORCID, "1" * 5000, "ORCID iD is too long (5000 characters; at most 300)"),
        (Scheme.SCOPUS_AUTHOR_ID, "123", "Scopus Author ID must be 10 or 11 digits; '123' has 3"),
        (Scheme.SCOPUS_AUTHOR_ID, "9876543210a", "Scopus Author ID must contain only digits"),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "https://www.scopus.com/authid/detail.uri?x=1",
            "Scopus Author ID URL has no authorId parameter",
        ),
        (Scheme.SCOPUS_AUTHOR_ID, "٩٨٧٦٥٤٣٢١٠٠", "Scopus Author ID must be written with the"),
        (Scheme.SCOPUS_EID, "9-s2.0-33745291715", "Scopus EID must be 2-s2.0- followed by"),
        (Scheme.SCOPUS_EID, "2-s2.0-123", "Scopus EID must be 10 or 11 digits"),
        (Scheme.SCOPUS_AUTHOR_EID, "2-s2.0-98765432100", "Scopus author EID must be 9-s2.0-"),
        (Scheme.AFID, "6000", "Scopus Affiliation ID must be 8 or 9 digits"),
        (Scheme.DOI, "11.1108/abc", "DOI must start with '10.' followed by a registrant code"),
        (Scheme.DOI, "10.1108", "DOI must have a suffix after the '/'"),
        (Scheme.DOI, "10.1108/ab c", "DOI must not contain spaces"),
        (Scheme.DOI, "10.11/abc", "DOI registrant code '10.11' must be '10.' and 4 to 9 digits"),
        (Scheme.DOI, "https://example.com/10.1108/abc", "DOI URL must be on doi.org"),
        (Scheme.ISBN, "0-306-40615-3", "ISBN check digit should be 2, not 3"),
        (Scheme.ISBN, "978-0-306-40615-8", "ISBN check digit should be 7, not 8"),
        (Scheme.ISBN, "977-0-306-40615-7", "ISBN of 13 digits must start with 978 or 979"),
        (Scheme.ISBN, "12345", "ISBN must have 10 or 13 digits"),
        (Scheme.ISSN, "0264-1616", "ISSN check digit should be 5, not 6"),
        (Scheme.ISSN, "0264-16", "ISSN must be 7 digits and a check digit or X"),
        (Scheme.RESEARCHER_ID, "1234-2008", "ResearcherID must be one to three letters"),
        (Scheme.ISNI, "0000 0001 2103 2684", "ISNI check digit should be 3, not 4"),
        (Scheme.ISNI, "0000 0001", "ISNI must be 16 characters"),
        (Scheme.PMID, "0", "PubMed ID must be a positive number"),
        (Scheme.PMID, "<script>alert(1)</script>", "PubMed ID must contain only digits"),
    ],
)
def test_normalise_refuses_with_specific_message(scheme: Scheme, raw: str, message: str) -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    # then
    assert str(caught.value).startswith(message)
    assert caught.value.scheme is scheme


def test_normalise_refuses_non_text() -> None:
    with pytest.raises(IdentifierError, match="must be text"):
        normalise(Scheme.DOI, None)  # type: ignore[arg-type]


def test_normalise_unknown_scheme_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown identifier scheme 'wikidata'"):
        normalise("wikidata", "Q42")


def test_display_groups_isni_and_hyphenates_isbn() -> None:
    assert display(Scheme.ISNI, "0000000121032683") == "0000 0001 2103 2683"
    assert display(Scheme.ISBN, "9780306406157") == "978-0-306-40615-7"
    assert display(Scheme.DOI, "10.1108/abc") == "10.1108/abc"


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
    assert url_for(Scheme.DOI, "10.1108/abc") == "https://doi.org/10.1108/abc"
    assert url_for(Scheme.SCOPUS_EID, "2-s2.0-33745291715").endswith(
        "scp=33745291715&origin=inward"
    )
    assert url_for(Scheme.ISSN, "0264-1615") is None


def test_detect_names_the_schemes_a_value_fits() -> None:
    assert detect("https://orcid.org/0000-0002-1825-0097") == [Scheme.ORCID]
    assert Scheme.SCOPUS_AUTHOR_ID in detect("98765432100")
    assert detect("10.1108/02641610610669750") == [Scheme.DOI]
    assert detect("Chris Wong") == []
