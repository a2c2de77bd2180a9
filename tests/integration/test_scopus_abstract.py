"""The portal's ScopusSession reads Abstract Retrieval and an Author ID's documents from the
Scopus sandbox, in-process (see conftest): what "Import from Scopus" builds on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from scopus_connector.client import ScopusNotFoundError, ScopusRequestError, ScopusSession
from scopus_sandbox import actions as scopus_actions
from scopus_sandbox.models import Document
from scopus_sandbox.tests.fixtures import CHRIS_ID, HKALL_DOI, HKALL_EID

pytestmark = pytest.mark.django_db(databases=["default", "orcid", "scopus"])


@pytest.fixture
def scopus(settings: Settings, world: dict[str, Any]) -> Iterator[ScopusSession]:
    scopus_actions.do_create_api_key(label="portal", weekly_quota=1_000, key="abstract-key")
    settings.SCOPUS_API_KEY = "abstract-key"
    with ScopusSession.from_settings(sleep=lambda seconds: None) as session:
        yield session


def test_an_abstract_by_doi_carries_what_an_import_needs(scopus):
    # given: the document as Scopus holds it, with the fields an import fills in
    Document.objects.filter(doi=HKALL_DOI).update(
        abstract="How HKALL came to be.",
        keywords=["resource sharing", "Hong Kong"],
        pubmed_id="12345678",
        article_number="e1",
        open_access=True,
    )
    # when
    abstract = scopus.get_abstract_by_doi(HKALL_DOI.upper())
    # then
    assert abstract.eid == HKALL_EID
    assert abstract.doi == HKALL_DOI
    assert abstract.title.startswith("User-initiated resource sharing")
    assert abstract.year == 2006
    assert isinstance(abstract.cover_date, date)
    assert abstract.doc_type == "ar"
    assert abstract.source_title
    assert len(abstract.issns[0]) == 9  # "0264-1615"
    assert abstract.volume
    assert abstract.pages
    assert (abstract.pmid, abstract.article_number) == ("12345678", "e1")
    assert abstract.abstract == "How HKALL came to be."
    assert abstract.keywords == ("resource sharing", "Hong Kong")
    assert abstract.language == "eng"
    assert abstract.open_access is True
    first = abstract.authors[0]
    assert (first.position, first.author_id, first.surname, first.given_name) == (
        1,
        CHRIS_ID,
        "Wong",
        "Chris",
    )
    assert "60008592" in first.affiliation_ids
    assert any(a.afid == "60008592" and a.name for a in abstract.affiliations)


def test_the_same_document_by_eid_and_scopus_id(scopus):
    by_eid = scopus.get_abstract_by_eid(HKALL_EID)
    by_id = scopus.get_abstract_by_scopus_id(HKALL_EID.removeprefix("2-s2.0-"))
    assert by_eid == by_id


def test_an_unknown_document_says_scopus_does_not_have_it(scopus):
    with pytest.raises(ScopusNotFoundError, match="404 RESOURCE_NOT_FOUND"):
        scopus.get_abstract_by_doi("10.9999/unknown")
    with pytest.raises(ScopusRequestError, match="400 INVALID_INPUT: Invalid eid"):
        scopus.get_abstract_by_eid("33745291715")


def test_an_author_ids_documents(scopus):
    # when
    documents = list(scopus.search_author_documents(CHRIS_ID))
    # then: the four documents on his profile (two more sit on his split profile)
    assert len(documents) == 4
    assert HKALL_EID in {d.eid for d in documents}
    assert all(CHRIS_ID in d.author_ids for d in documents)
