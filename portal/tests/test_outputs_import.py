"""BibTeX and RIS imports: parsing field by field, preview, the duplicate check, the refused
entries with their lines, and a large file as a background job."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.choices import OutputType, WorkflowStatus
from portal.importers.bibtex import parse_bibtex
from portal.importers.ris import parse_ris
from portal.importers.service import ImportFileError, read_upload
from portal.models import ImportBatch, ResearchOutput
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
