"""Every `scholarhub` command: what it does and how it refuses bad arguments."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from portal.demo import CAST_SIZE, DEMO_PASSWORD
from portal.models import Contributor, OutputIdentifier, Person, PersonIdentifier, ResearchOutput
from portal.tests.fixtures import seed_portal_demo
from scholarhub.cli import main
from scholarhub.processes import parse_service_names

pytestmark = pytest.mark.django_db(databases="__all__")


def fingerprint() -> str:
    """A digest of everything the generator wrote, to compare two runs."""
    digest = hashlib.sha256()
    for model, fields in (
        (Person, ["staff_id", "slug", "known_as", "native_name", "phone", "search_text"]),
        (ResearchOutput, ["title", "publication_year", "workflow_status", "visibility"]),
        (Contributor, ["output_id", "position", "person_id", "family_name"]),
        (OutputIdentifier, ["output_id", "id_type", "value"]),
        (PersonIdentifier, ["person_id", "id_type", "value", "status"]),
    ):
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_seed_demo_builds_chris_and_the_demo_logins(tmp_path):
    # when
    report = seed_portal_demo(tmp_path)
    # then
    assert "30 researchers, 300 research outputs" in report
    chris = Person.objects.get(staff_id="chriswong")
    assert chris.display_name == "Chris WONG - demo"
    assert chris.native_name == "王大明"
    assert chris.positions.get().get_role_display() == "Doctor of Philosophy (Student)"
    assert chris.positions.get().org_unit.name == "Run Run Shaw Library"
    # Chris starts before the exercise: no ORCID iD, no Scopus Author ID on the portal yet.
    assert not chris.identifiers.exists()
    hkall = ResearchOutput.objects.get(identifiers__value="2-s2.0-33745291715")
    assert hkall.title.startswith("User-initiated resource sharing in Hong Kong universities")
    assert hkall.identifiers.get(id_type="doi").value == "10.1108/02641610610669750"
    assert User.objects.get(username="chriswong").check_password(DEMO_PASSWORD)
    library = User.objects.get(username="library")
    assert library.check_password(DEMO_PASSWORD)
    assert library.groups.filter(name="Library staff").exists()


def test_seed_demo_writes_a_bibtex_file_to_try(tmp_path):
    report = seed_portal_demo(tmp_path)
    bibtex = (tmp_path / "chris-wong.bib").read_text(encoding="utf-8")
    assert f"A BibTeX file to import as Chris: {tmp_path / 'chris-wong.bib'}" in report
    assert bibtex.count("@") == 10
    assert "doi = {not-a-doi}" in bibtex


def test_seed_demo_writes_the_cast_for_the_sandboxes(tmp_path):
    seed_portal_demo(tmp_path)
    cast = json.loads((tmp_path / "cast.json").read_text(encoding="utf-8"))
    assert [client["name"] for client in cast["clients"]] == ["CityU Scholars", "Scopus - Elsevier"]
    assert cast["clients"][1]["client_id"] == "0000-0002-5982-8983"
    assert len(cast["researchers"]) == CAST_SIZE
    chris = cast["researchers"][0]
    assert chris["orcid"] == "0000-0000-0000-0001"
    assert chris["scopus_author_id"] == "98765432100"
    assert any(output["eid"] == "2-s2.0-33745291715" for output in chris["outputs"])


def test_seed_demo_is_deterministic(tmp_path):
    seed_portal_demo(tmp_path)
    first = fingerprint()
    seed_portal_demo(tmp_path, "--reset")
    assert fingerprint() == first
    seed_portal_demo(tmp_path, "--reset", "--seed", "7")
    assert fingerprint() != first


def test_seed_demo_leaves_a_seeded_portal_alone(tmp_path):
    seed_portal_demo(tmp_path)
    before = fingerprint()
    report = seed_portal_demo(tmp_path)
    assert "already holds data; nothing changed" in report
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--persons", "0"], "--persons must be between 1 and 200,000, not 0"),
        (["--persons", "-5"], "--persons must be between 1 and 200,000"),
        (["--persons", "ten"], "--persons must be a whole number, not 'ten'"),
        (["--outputs", "99999999999"], "--outputs must be between 5 and 5,000,000"),
        (["--outputs", "2"], "--outputs must be between 5"),
        (["--seed", "1.5"], "--seed must be a whole number"),
    ],
)
def test_seed_demo_refuses_bad_sizes(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "seed_demo", *arguments, "--portal-only", "--cast-file", str(tmp_path / "c.json")
        )
    assert not Person.objects.exists()


def test_migrate_all_migrates_every_database():
    out = io.StringIO()
    call_command("migrate_all", stdout=out)
    assert [line for line in out.getvalue().splitlines() if line.startswith("Migrating")] == [
        "Migrating database 'default'",
        "Migrating database 'orcid'",
        "Migrating database 'scopus'",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nowhere"], "unknown service nowhere"),
        (["--workers", "0"], "--workers must be 1 to 32"),
        (["portal", "--threads", "1000"], "--threads 1 to 64"),
    ],
)
def test_serve_refuses_bad_arguments(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("serve", *arguments)


def test_demo_sets_up_without_serving(tmp_path, settings, monkeypatch):
    from scholarhub.management.commands import seed_demo

    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    # The sandboxes' own seeding is their tests' business, and the slow part of this one.
    monkeypatch.setattr(seed_demo, "get_commands", lambda: {})
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "chriswong / demo" in text
    assert "library / demo" in text
    assert "0000-0000-0000-0001" in text  # ORCID sandbox sign-in from the cast
    assert Person.objects.filter(staff_id="chriswong").exists()


def test_demo_refuses_bad_worker_counts():
    with pytest.raises(CommandError, match="--workers must be 1 to 32"):
        call_command("demo", "--no-serve", "--workers", "-1")


def test_parse_service_names_defaults_to_all():
    assert [service.name for service in parse_service_names([])] == ["portal", "orcid", "scopus"]


def test_cli_translates_hyphenated_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["scholarhub", "seed-demo", "--help"])
    assert exit_info.value.code == 0
    assert "--persons" in capsys.readouterr().out


def test_cli_reports_unknown_commands():
    completed = subprocess.run(
        [sys.executable, "-m", "scholarhub.cli", "no-such-command"],
        capture_output=True,
        text=True,
        env={"SCHOLARHUB_DEBUG": "1", "PATH": ""},
        check=False,
    )
    assert completed.returncode == 1
    assert "Unknown command: 'no_such_command'" in completed.stderr


def test_serve_refuses_ports_in_use():
    import socket

    from utilities.ports import free_port

    # given: a port someone else listens on (never the demo's own 8002, which may be serving)
    port = free_port()
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", port))
        holder.listen()
        # when / then
        with pytest.raises(CommandError, match=rf"ports already in use: Scopus sandbox \({port}\)"):
            call_command("serve", "scopus", "--port", str(port))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["portal", "scopus", "--port", "9000"], "--port needs exactly one service named"),
        (["--port", "9000"], "--port needs exactly one service named"),
        (["scopus", "--port", "0"], "--port must be 1 to 65535"),
        (["scopus", "--port", "70000"], "--port must be 1 to 65535"),
    ],
)
def test_serve_refuses_bad_ports(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("serve", *arguments)


def test_seed_demo_skips_sandboxes_that_are_not_installed(tmp_path, monkeypatch):
    # given
    from scholarhub.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "get_commands", lambda: {})
    out = io.StringIO()
    # when
    call_command(
        "seed_demo",
        "--persons",
        "5",
        "--outputs",
        "20",
        "--cast-file",
        str(tmp_path / "c.json"),
        stdout=out,
    )
    # then
    assert "(orcid-sandbox is not installed: not seeded)" in out.getvalue()
    assert "(scopus-sandbox is not installed: not seeded)" in out.getvalue()
    assert Person.objects.count() == 5


def test_seed_demo_hands_the_cast_to_each_sandbox(tmp_path, monkeypatch):
    # given
    from scholarhub.management.commands import seed_demo

    calls = []
    monkeypatch.setattr(
        seed_demo, "get_commands", lambda: {"orcid_sandbox": "x", "scopus_sandbox": "x"}
    )
    monkeypatch.setattr(seed_demo, "call_command", lambda *args, **kwargs: calls.append(args))
    cast_file = tmp_path / "c.json"
    # when
    call_command("seed_demo", "--persons", "5", "--outputs", "20", "--cast-file", str(cast_file))
    # then
    assert calls == [
        ("orcid_sandbox", "seed-demo", "--cast", str(cast_file)),
        ("scopus_sandbox", "seed-demo", "--cast", str(cast_file)),
    ]
    assert len(json.loads(cast_file.read_text(encoding="utf-8"))["researchers"]) == 5


def test_seed_demo_reset_rebuilds_a_changed_portal(tmp_path):
    # given
    seed_portal_demo(tmp_path)
    before = fingerprint()
    Person.objects.filter(staff_id="chriswong").update(known_as="Someone else")
    # when
    seed_portal_demo(tmp_path, "--reset")
    # then
    assert fingerprint() == before
    assert Person.objects.get(staff_id="chriswong").known_as == "Chris WONG - demo"


def test_demo_keeps_existing_data_and_survives_a_damaged_cast(tmp_path, settings):
    # given
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    seed_portal_demo(tmp_path)
    before = fingerprint()
    # (seed-demo made var/demo for its hand-over files)
    (tmp_path / "demo").mkdir(exist_ok=True)
    (tmp_path / "demo" / "cast.json").write_text("{not json", encoding="utf-8")
    out = io.StringIO()
    # when
    call_command("demo", "--no-serve", stdout=out)
    # then
    assert "Demo data already present" in out.getvalue()
    assert "no readable" in out.getvalue()
    assert "chriswong / demo" in out.getvalue()
    assert fingerprint() == before


@pytest.mark.parametrize("arguments", [["--threads", "0"], ["--workers", "many"], ["--bogus"]])
def test_demo_refuses_bad_arguments(arguments):
    with pytest.raises((CommandError, SystemExit)):
        call_command("demo", "--no-serve", *arguments)
    assert not Person.objects.exists()


def test_seed_demo_accepts_the_smallest_sizes(tmp_path):
    # when
    call_command(
        "seed_demo",
        "--persons",
        "1",
        "--outputs",
        "5",
        "--portal-only",
        "--cast-file",
        str(tmp_path / "c.json"),
    )
    # then
    assert list(Person.objects.values_list("staff_id", flat=True)) == ["chriswong"]
    assert ResearchOutput.objects.count() == 5
    cast = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert [member["staff_id"] for member in cast["researchers"]] == ["chriswong"]


def test_demo_says_where_the_mail_goes(settings, tmp_path):
    from scholarhub.management.commands.demo import Command

    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    assert f"Mail the portal sends (one file each): {tmp_path / 'mail'}/" in Command().logins()
