"""BibTeX and RIS imports: parsing field by field, preview, the duplicate check, the refused
entries with their lines, and a large file as a background job."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.choices import OutputType, WorkflowStatus
from portal.duplicates import candidate_of, find_duplicates
from portal.importers.bibtex import parse_bibtex
from portal.importers.ris import parse_ris
from portal.importers.service import ImportFileError, read_upload
from portal.models import AuditEntry, ImportBatch, ResearchOutput
from portal.tests.fixtures import make_output

pytestmark = pytest.mark.django_db

BIBTEX = """@article{wong2006,
  title = {User-initiated resource sharing in {Hong Kong} universities},
  author = {Wong, Chris and Outsider, A.},
  journal = {Interlending and Document Supply},
  year = {2006}, volume = {34}, number = {2}, pages = {70--75},
  doi = {10.1108/02641610610669750}
}

@inproceedings{wong2010,
  title = {Library consortia in {Asia}},
  author = {Chris Wong},
  booktitle = {Proceedings of the Library Conference},
  year = {2010}
}

@article{bad,
  title = {A paper with a broken DOI},
  author = {Wong, Chris},
  year = {2011},
  doi = {not-a-doi}
}
"""

RIS = """TY  - JOUR
TI  - Open access in Hong Kong
AU  - Wong, Chris
PY  - 2015
JO  - Journal of Librarianship
VL  - 7
SP  - 1
EP  - 9
DO  - 10.1000/oa.2015
ER  -

TY  - BOOK
TI  - A book without a year
AU  - Wong, Chris
ER  -
""".replace("ER  -", "ER  - ")  # RIS tags end in a space, which editors like to strip


def test_bibtex_fields_and_refusals():
    # when
    entries = parse_bibtex(BIBTEX)
    # then
    first, second, bad = entries
    assert first.fields["title"] == "User-initiated resource sharing in Hong Kong universities"
    assert first.fields["pages"] == "70-75"
    assert first.fields["issue"] == "2"
    assert first.identifiers == (("doi", "10.1108/02641610610669750"),)
    assert [a.family_name for a in first.authors] == ["Wong", "Outsider"]
    assert second.fields["output_type"] == OutputType.CONFERENCE_PAPER
    assert second.authors[0].family_name == "Wong"
    assert bad.line == 16
    assert bad.problems
    assert "DOI" in bad.problems[0]


def test_bibtex_syntax_error_is_an_entry_with_its_line():
    entries = parse_bibtex(
        "@article{x,\n title={unclosed\n year=2020\n}\n@book{b, title={B}, "
        "author={Lee, A.}, year={2001}}\n"
    )
    assert entries[0].problems[0].startswith("BibTeX syntax error")
    assert entries[0].line == 1
    assert entries[1].ok


def test_ris_fields_and_refusals():
    good, bad = parse_ris(RIS)
    assert good.fields["host_title"] == "Journal of Librarianship"
    assert good.fields["pages"] == "1-9"
    assert good.identifiers == (("doi", "10.1000/oa.2015"),)
    assert bad.line == 12
    assert bad.problems == ("no year of publication",)


def test_ris_record_without_an_end_is_refused():
    (entry,) = parse_ris("TY  - JOUR\nTI  - x\n")
    assert "no end line" in entry.problems[0]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.bib", b"\xff\xfe\x00\x00", "not"),
        ("x.pdf", b"%PDF-1.4 hello", "neither a BibTeX"),
    ],
)
def test_unreadable_uploads_are_refused(name, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_upload(name, data)


def test_upload_preview_then_import_one_bad_entry_listed(client, researcher):
    # given
    client.force_login(researcher.user)
    upload = SimpleUploadedFile("mine.bib", BIBTEX.encode())
    # when
    response = client.post(reverse("portal:output-import"), {"file": upload})
    batch = ImportBatch.objects.get()
    preview = client.get(response.url).content.decode()
    assert not ResearchOutput.objects.exists()  # nothing saved before confirmation
    client.post(response.url)
    # then
    assert "Refused" in preview
    batch.refresh_from_db()
    assert batch.imported == 2
    assert [item["line"] for item in batch.refused] == [16]
    outputs = ResearchOutput.objects.all()
    assert {o.workflow_status for o in outputs} == {WorkflowStatus.ENTRY_IN_PROGRESS}
    assert all(o.contributors.filter(person=researcher).exists() for o in outputs)
    page = client.get(response.url).content.decode()
    assert "line" in page.lower()
    assert "not-a-doi" in page


def test_import_skips_a_held_output_as_possible_duplicate(client, researcher):
    held = make_output(researcher, doi="10.1108/02641610610669750")
    client.force_login(researcher.user)
    response = client.post(
        reverse("portal:output-import"), {"file": SimpleUploadedFile("m.bib", BIBTEX.encode())}
    )
    assert "Possible duplicate" in client.get(response.url).content.decode()
    client.post(response.url)
    batch = ImportBatch.objects.get()
    assert batch.duplicates[0]["output"] == held.pk
    assert batch.imported == 1


def test_import_refuses_entries_the_researcher_is_not_an_author_of(client, researcher):
    client.force_login(researcher.user)
    text = "@article{a, title={T}, author={Lee, A.}, year={2001}}"
    response = client.post(
        reverse("portal:output-import"), {"file": SimpleUploadedFile("m.bib", text.encode())}
    )
    client.post(response.url)
    batch = ImportBatch.objects.get()
    assert "not among the authors" in batch.refused[0]["reasons"][0]
    assert not ResearchOutput.objects.exists()


def test_a_large_file_runs_as_a_job_with_progress(
    client, researcher, django_capture_on_commit_callbacks
):
    # given: more entries than the preview takes, one of them bad
    entries = [
        f"@article{{e{n}, title={{Paper number {n}}}, author={{Wong, Chris}}, year={{2001}}}}"
        for n in range(230)
    ]
    entries[100] = "@article{e100, title={Bad year}, author={Wong, Chris}, year={19x9}}"
    client.force_login(researcher.user)
    # when (the test settings run tasks at once)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:output-import"),
            {"file": SimpleUploadedFile("big.bib", "\n".join(entries).encode())},
        )
    # then
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.DONE
    assert (batch.total, batch.processed, batch.imported) == (230, 230, 229)
    assert batch.refused[0]["line"] == 101
    assert "19x9" in batch.refused[0]["reasons"][0]
    assert "229 imported" in client.get(response.url).content.decode()


def test_someone_elses_batch_is_not_found(client, researcher, library_user):
    client.force_login(researcher.user)
    response = client.post(
        reverse("portal:output-import"), {"file": SimpleUploadedFile("m.bib", BIBTEX.encode())}
    )
    client.force_login(library_user)
    assert client.get(response.url).status_code == 404


TITLE_TWIN = """@article{twin,
  title = {Library consortia in Asia},
  author = {Wong, Chris},
  journal = {Journal of Librarianship},
  year = {2010}
}

@article{held_doi,
  title = {Resource sharing revisited},
  author = {Wong, Chris},
  year = {2012},
  doi = {10.1000/held.2012}
}
"""


def _preview_of(client: Any, text: str) -> tuple[str, str]:
    """Upload a BibTeX text; returns the preview's address and its page."""
    response = client.post(
        reverse("portal:output-import"), {"file": SimpleUploadedFile("m.bib", text.encode())}
    )
    return response.url, client.get(response.url).content.decode()


def _confirmation_values(page: str) -> list[str]:
    return re.findall(r'name="not_duplicate" value="([^"]+)"', page)


def test_title_match_offers_not_a_duplicate_and_identifier_match_does_not(
    client, researcher
) -> None:
    # given: held outputs matching one entry by title, year and first author, another by DOI
    by_title = make_output(researcher, title="Library consortia in Asia", year=2010)
    make_output(researcher, title="Something else", year=2012, doi="10.1000/held.2012")
    client.force_login(researcher.user)
    # when
    _, page = _preview_of(client, TITLE_TWIN)
    # then: both are possible duplicates, side by side with "Add me as an author"
    assert page.count("Possible duplicate of research output") == 2
    assert page.count("Add me as an author of that output") == 2
    # and only the title match may be answered "Not a duplicate"
    assert page.count("Not a duplicate") == 2  # the explanation above the table, and one box
    assert _confirmation_values(page) == [f"0:{by_title.pk}"]


def test_title_match_left_unticked_is_skipped(client, researcher) -> None:
    # given
    held = make_output(researcher, title="Library consortia in Asia", year=2010)
    client.force_login(researcher.user)
    url, _ = _preview_of(client, TITLE_TWIN)
    # when: "Import the new entries" without answering
    client.post(url)
    # then: the new entry is imported, the title match is not
    batch = ImportBatch.objects.get()
    assert batch.imported == 1
    assert [item["output"] for item in batch.duplicates] == [held.pk]
    assert ResearchOutput.objects.filter(title="Library consortia in Asia").count() == 1


def test_not_a_duplicate_imports_the_entry_and_remembers_the_answer(client, researcher) -> None:
    # given
    held = make_output(researcher, title="Library consortia in Asia", year=2010)
    client.force_login(researcher.user)
    url, page = _preview_of(client, TITLE_TWIN)
    # when: "Not a duplicate" ticked for the title match
    client.post(url, {"not_duplicate": _confirmation_values(page)})
    # then: imported as a new output, the pair recorded, so the check stops pairing them
    batch = ImportBatch.objects.get()
    assert batch.imported == 2
    assert batch.duplicates == []
    new = ResearchOutput.objects.exclude(pk=held.pk).get(title="Library consortia in Asia")
    assert new.title == "Library consortia in Asia"
    assert new.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
    assert list(new.not_duplicates.all()) == [held]
    assert find_duplicates(candidate_of(new), exclude=new) == []
    assert AuditEntry.objects.filter(
        target_id=str(new.pk), after__not_duplicate_of=held.pk
    ).exists()


@pytest.mark.parametrize(
    "answer",
    [
        "1:{doi_held}",  # forged: the DOI match was never offered "Not a duplicate"
        "0:999999",  # an answer about an output that was not shown beside the entry
        "0:",
        "x:{title_held}",
        "0:{title_held}-abc",
        "",
    ],
)
def test_forged_or_malformed_answers_import_nothing(client, researcher, answer: str) -> None:
    # given
    title_held = make_output(researcher, title="Library consortia in Asia", year=2010)
    doi_held = make_output(researcher, title="Other", year=2012, doi="10.1000/held.2012")
    client.force_login(researcher.user)
    url, _ = _preview_of(client, TITLE_TWIN)
    # when
    response = client.post(
        url, {"not_duplicate": answer.format(doi_held=doi_held.pk, title_held=title_held.pk)}
    )
    # then
    assert response.status_code == 302
    assert ImportBatch.objects.get().imported == 0
    assert ResearchOutput.objects.count() == 2


def test_answer_covers_only_the_matches_shown(client, researcher) -> None:
    # given: the preview showed one title match
    first = make_output(researcher, title="Library consortia in Asia", year=2010)
    client.force_login(researcher.user)
    url, page = _preview_of(client, TITLE_TWIN)
    answer = _confirmation_values(page)
    assert answer == [f"0:{first.pk}"]
    # when: a second twin appears before the person presses Import
    make_output(researcher, title="Library Consortia in Asia!", year=2010)
    client.post(url, {"not_duplicate": answer})
    # then: the entry is not imported over a match nobody answered for
    assert ImportBatch.objects.get().imported == 1  # the other, new entry
    assert ResearchOutput.objects.filter(title="Library consortia in Asia").count() == 1
