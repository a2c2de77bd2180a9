"""`scholarhub scopus-sandbox …`: index with bad lines, seed-demo, keys, feedback, cluster."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from scopus_sandbox import actions
from scopus_sandbox.choices import FeedbackKindChoices, FeedbackStatusChoices
from scopus_sandbox.models import ApiKey, AuthorProfile, Authorship, Document, FeedbackRequest
from scopus_sandbox.tests.fixtures import CHRIS_ID, HKALL_EID

pytestmark = pytest.mark.django_db(databases=["scopus", "default"])


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("scopus_sandbox", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def good_line(n: int, **extra: object) -> str:
    record = {
        "title": f"Paper {n}",
        "year": 2020,
        "doi": f"10.3000/p.{n}",
        "affiliations": [{"afid": "60008592", "name": "City University of Hong Kong"}],
        "authors": [
            {
                "given_name": "Chris",
                "surname": "Wong",
                "affiliations": ["60008592"],
                "email": "chriswong@cityu.edu.hk",
            },
            {"given_name": "David", "surname": "Leung", "affiliations": ["60008592"]},
        ],
        **extra,
    }
    return json.dumps(record)


def test_index_reports_bad_lines_and_keeps_going(tmp_path: Path):
    # given a file with good lines among broken ones
    lines = [
        good_line(1),
        "{not json",
        json.dumps({"title": "No authors", "year": 2020, "authors": []}),
        good_line(2, eid="2-s2.0-bad"),
        good_line(3, year=3000),
        "",
        json.dumps([1, 2]),
        good_line(4, type="zz"),
        good_line(5, authors=[{"surname": "X", "orcid": "0000-0000-0000-0002"}]),
        good_line(6, authors=[{"surname": "X", "affiliations": ["60000001"]}]),
        good_line(7),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe\n")
    # when
    out, err = run("index", str(path))
    # then the good lines are indexed and every bad one is named by its line number
    assert Document.objects.count() == 2
    for number in (2, 3, 4, 5, 7, 8, 9, 10, 12):
        assert f"batch.jsonl:{number}:" in err
    assert "batch.jsonl:1:" not in err
    assert "batch.jsonl:11:" not in err
    assert "9 bad line(s)" in out
    assert Authorship.objects.filter(profile__isnull=True).count() == 0


def test_index_is_incremental_and_skips_duplicates(tmp_path: Path):
    # given one batch indexed
    first = tmp_path / "one.jsonl"
    first.write_text(good_line(1) + "\n" + good_line(2) + "\n")
    run("index", str(first))
    chris = Authorship.objects.get(document__doi="10.3000/p.1", position=1).profile
    assert chris is not None
    # when a second batch with a duplicate and a new paper by the same people arrives
    second = tmp_path / "two.jsonl"
    second.write_text(good_line(2) + "\n" + good_line(3) + "\n")
    out, _ = run("index", str(second))
    # then the duplicate is skipped and the new paper joins the existing profile
    assert "1 duplicate(s)" in out
    assert Document.objects.count() == 3
    new = Authorship.objects.get(document__doi="10.3000/p.3", position=1)
    assert new.profile == chris
    assert chris.authorships.count() == 3


def test_index_quoted_orcid_links_to_profile(tmp_path: Path, world):
    # given Chris's profile carrying his ORCID iD
    AuthorProfile.objects.filter(author_id=CHRIS_ID).update(orcid="0000-0000-0000-0001")
    path = tmp_path / "orcid.jsonl"
    path.write_text(
        good_line(
            9,
            authors=[{"given_name": "T. M.", "surname": "Wong", "orcid": "0000-0000-0000-0001"}],
        )
        + "\n"
    )
    # when
    run("index", str(path))
    # then
    authorship = Authorship.objects.get(document__doi="10.3000/p.9")
    assert authorship.profile is not None
    assert authorship.profile.author_id == CHRIS_ID


def test_index_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(CommandError, match="cannot read"):
        run("index", str(tmp_path / "missing.jsonl"))


def test_seed_demo_is_idempotent_and_prints_key(cast_file: Path):
    # when seeded twice
    out1, _ = run("seed-demo", "--cast", str(cast_file), "--crowd", "30")
    counts = (Document.objects.count(), AuthorProfile.objects.count())
    out2, _ = run("seed-demo", "--cast", str(cast_file), "--crowd", "30")
    # then nothing is duplicated and the same key is printed and written
    assert (Document.objects.count(), AuthorProfile.objects.count()) == counts
    assert Document.objects.filter(scopus_id=HKALL_EID.removeprefix("2-s2.0-")).exists()
    hkall = Authorship.objects.get(document__scopus_id="33745291715", position=1)
    assert hkall.profile is not None
    assert hkall.profile.author_id == CHRIS_ID
    assert AuthorProfile.objects.get(author_id="55912345600").authorships.count() == 2
    key = ApiKey.objects.get()
    assert f"API key: {key.key}" in out1
    assert f"API key: {key.key}" in out2
    assert (cast_file.parent / "scopus-api-key.txt").read_text().strip() == key.key
    assert Document.objects.count() >= 30


def test_seed_demo_rejects_bad_cast(tmp_path: Path):
    bad = tmp_path / "cast.json"
    bad.write_text('{"researchers": [{"given_names": 1}]}')
    with pytest.raises(CommandError, match="not a valid cast"):
        run("seed-demo", "--cast", str(bad), "--crowd", "1")
    with pytest.raises(CommandError, match="cannot read"):
        run("seed-demo", "--cast", str(tmp_path / "nope.json"), "--crowd", "1")


def test_create_api_key_prints_a_working_key():
    # when
    out, _ = run("create-api-key", "--label", "lab", "--quota", "7")
    # then
    key = ApiKey.objects.get(key=out.strip())
    assert (key.label, key.weekly_quota) == ("lab", 7)
    with pytest.raises(CommandError):
        run("create-api-key", "--key", "has spaces!")


def test_process_feedback_waits_for_the_delay_unless_now(world):
    # given a queued ORCID link
    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    request = actions.do_submit_feedback(
        profile, FeedbackKindChoices.LINK_ORCID, {"orcid": "0000-0000-0000-0001"}, acting_as="test"
    )
    # when processed before it is due
    out, _ = run("process-feedback")
    # then nothing happens
    assert "0 feedback" in out
    profile.refresh_from_db()
    assert profile.orcid == ""
    # when it is due
    FeedbackRequest.objects.filter(pk=request.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    out, _ = run("process-feedback")
    # then
    profile.refresh_from_db()
    assert "1 feedback" in out
    assert profile.orcid == "0000-0000-0000-0001"
    request.refresh_from_db()
    assert request.status == FeedbackStatusChoices.APPLIED


def test_process_feedback_now_merges_and_removes(world):
    # given a merge and a removal queued
    chris = AuthorProfile.objects.get(author_id=CHRIS_ID)
    first = chris.authorships.first()
    assert first is not None
    doc = first.document
    actions.do_submit_feedback(
        chris, FeedbackKindChoices.MERGE, {"author_ids": ["55912345600"]}, acting_as="t"
    )
    actions.do_submit_feedback(
        chris, FeedbackKindChoices.REMOVE_DOCUMENTS, {"document_ids": [doc.pk]}, acting_as="t"
    )
    # when
    run("process-feedback", "--now")
    # then the split profile forwards to Chris and the removed document left his profile
    old = AuthorProfile.objects.get(author_id="55912345600")
    assert old.merged_into == chris
    assert chris.authorships.count() == 5
    assert not chris.authorships.filter(document=doc).exists()


def test_cluster_reports_missing_input(tmp_path: Path):
    with pytest.raises(CommandError):
        run(
            "cluster",
            "--papers",
            str(tmp_path / "p.json"),
            "--signatures",
            str(tmp_path / "s.json"),
            "--output",
            str(tmp_path / "c.json"),
        )
