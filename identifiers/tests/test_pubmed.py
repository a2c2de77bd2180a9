"""PubMed ID."""

from __future__ import annotations

import pytest

from identifiers import IdentifierError, Scheme, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31452104", "31452104"),
        ("PMID: 0012345", "12345"),
        ("pmid31452104", "31452104"),
        ("https://pubmed.ncbi.nlm.nih.gov/31452104/", "31452104"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/31452104", "31452104"),
        ("000000000001", "1"),
    ],
)
def test_normalise_pmid_accepts_usual_forms(raw: str, expected: str) -> None:
    # when
    value = normalise(Scheme.PMID, raw)
    # then
    assert value == expected
    assert normalise(Scheme.PMID, value) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0", "PubMed ID must be a positive number"),
        ("000", "PubMed ID must be a positive number"),
        ("12345678901", "PubMed ID must be 1 to 10 digits; '12345678901' has 11"),
        ("-5", "PubMed ID must contain only digits; '-5' does not"),
        ("<script>alert(1)</script>", "PubMed ID must contain only digits"),
        ("PMID:", "PubMed ID has nothing after 'PMID'"),
        ("https://example.org/31452104", "PubMed ID URL must be on pubmed.ncbi.nlm.nih.gov"),
    ],
)
def test_normalise_pmid_refuses_with_specific_message(raw: str, message: str) -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.PMID, raw)
    # then
    assert str(caught.value).startswith(message)
    assert caught.value.scheme is Scheme.PMID
