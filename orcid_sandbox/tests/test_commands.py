"""`scholarhub orcid-sandbox …` sub-commands."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from orcid_sandbox.models import Account, Client, Work
from orcid_sandbox.tests.fixtures import CAST

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


def test_seed_demo_is_idempotent(tmp_path):
    path = tmp_path / "cast.json"
    path.write_text(json.dumps(CAST))
    out = io.StringIO()
    call_command("orcid_sandbox", "seed-demo", "--cast", str(path), stdout=out)
    call_command("orcid_sandbox", "seed-demo", "--cast", str(path), stdout=out)
    assert Account.objects.get().other_names == "Wong, C."
    assert Client.objects.filter(client_id="APP-SCHOLARHUBDEMO01").count() == 1
    assert Work.objects.count() == 2  # Crossref's claim and the researcher's own entry
    assert "0 accounts and 0 works added" in out.getvalue()


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"clients": []}', '{"clients": [], "researchers": [{}]}']
)
def test_seed_demo_refuses_bad_cast_files(tmp_path, content):
    path = tmp_path / "cast.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        call_command("orcid_sandbox", "seed-demo", "--cast", str(path))


def test_seed_demo_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("orcid_sandbox", "seed-demo", "--cast", str(tmp_path / "absent.json"))


def test_create_account_and_register_client():
    out = io.StringIO()
    call_command(
        "orcid_sandbox",
        "create-account",
        "--email",
        "a@example.edu",
        "--password",
        "long password",
        "--given-names",
        "Ann",
        stdout=out,
    )
    assert "Created 0000-0000-0000-001" in out.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "orcid_sandbox",
            "create-account",
            "--email",
            "a@example.edu",
            "--password",
            "long password",
            "--given-names",
            "Ann",
        )
    with pytest.raises(CommandError, match="check digit"):
        call_command(
            "orcid_sandbox",
            "create-account",
            "--email",
            "b@example.edu",
            "--password",
            "long password",
            "--given-names",
            "B",
            "--orcid",
            "0000-0000-0000-0000",
        )
    with pytest.raises(CommandError, match="at least 8"):
        call_command(
            "orcid_sandbox",
            "create-account",
            "--email",
            "c@example.edu",
            "--password",
            "x",
            "--given-names",
            "C",
        )
    call_command(
        "orcid_sandbox",
        "register-client",
        "--name",
        "App",
        "--redirect-uri",
        "https://x.example/cb",
        stdout=out,
    )
    assert "Client APP-" in out.getvalue()
    with pytest.raises(CommandError, match="--client-id"):
        call_command(
            "orcid_sandbox",
            "register-client",
            "--name",
            "App",
            "--redirect-uri",
            "https://x/cb",
            "--client-id",
            "bogus",
        )


@pytest.mark.django_db(databases=["orcid", "default"])
def test_issue_token_prints_a_working_token(client, account, portal_client, settings):
    # given
    settings.ROOT_URLCONF = "config.urls_orcid"
    out = io.StringIO()
    # when
    call_command(
        "orcid_sandbox",
        "issue-token",
        "--orcid",
        account.orcid,
        "--client-id",
        portal_client.client_id,
        "--scope",
        "/read-limited",
        stdout=out,
    )
    # then
    token = out.getvalue().strip()
    response = client.get(
        f"/api/v3.0/{account.orcid}/works",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200


@pytest.mark.django_db(databases=["orcid", "default"])
@pytest.mark.parametrize(
    ("orcid", "client_id", "scope"),
    [
        ("0000-0000-0000-0002", "APP-SCHOLARHUBDEMO01", "/read-limited"),
        ("0000-0000-0000-0001", "APP-NOSUCHCLIENT0001", "/read-limited"),
        ("0000-0000-0000-0001", "APP-SCHOLARHUBDEMO01", "/everything"),
        ("not-an-id", "APP-SCHOLARHUBDEMO01", "/read-limited"),
    ],
)
def test_issue_token_refusals(account, portal_client, orcid, client_id, scope):
    with pytest.raises(CommandError):
        call_command(
            "orcid_sandbox",
            "issue-token",
            "--orcid",
            orcid,
            "--client-id",
            client_id,
            "--scope",
            scope,
            stdout=io.StringIO(),
        )


@pytest.mark.django_db(databases=["orcid", "default"])
def test_deprecate_makes_the_api_answer_301(client, account, settings):
    # given
    settings.ROOT_URLCONF = "config.urls_orcid"
    call_command(
        "orcid_sandbox",
        "create-account",
        "--email",
        "primary@example.org",
        "--password",
        "long-enough",
        "--given-names",
        "Primary",
        stdout=io.StringIO(),
    )
    primary = Account.objects.get(email="primary@example.org")
    # when
    call_command(
        "orcid_sandbox",
        "deprecate",
        "--orcid",
        account.orcid,
        "--primary",
        primary.orcid,
        stdout=io.StringIO(),
    )
    # then
    response = client.get(f"/pub/v3.0/{account.orcid}/works", HTTP_ACCEPT="application/json")
    assert response.status_code == 301
    assert response.json()["error-code"] == 9007
    assert response["Location"].endswith(f"/{primary.orcid}/works")
    # and the page moves too
    assert client.get(f"/{account.orcid}").status_code == 301


@pytest.mark.django_db(databases=["orcid", "default"])
@pytest.mark.parametrize(
    ("orcid", "primary"),
    [
        ("0000-0000-0000-0001", "0000-0000-0000-0001"),
        ("0000-0000-0000-0001", "0000-0000-0000-0028"),
        ("0000-0000-0000-0002", "0000-0000-0000-0001"),
        ("garbage", "0000-0000-0000-0001"),
    ],
)
def test_deprecate_refusals(account, orcid, primary):
    with pytest.raises(CommandError):
        call_command(
            "orcid_sandbox",
            "deprecate",
            "--orcid",
            orcid,
            "--primary",
            primary,
            stdout=io.StringIO(),
        )
    account.refresh_from_db()
    assert account.primary_orcid == ""


def test_seed_demo_lists_the_native_name_under_also_known_as(tmp_path):
    cast = json.loads(json.dumps(CAST))
    cast["researchers"][0]["native_name"] = "王大明"
    path = tmp_path / "cast.json"
    path.write_text(json.dumps(cast, ensure_ascii=False), encoding="utf-8")
    call_command("orcid_sandbox", "seed-demo", "--cast", str(path), stdout=io.StringIO())
    assert Account.objects.get().other_name_list() == ["王大明", "Wong, C."]
