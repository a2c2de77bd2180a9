"""The demo's organisations carry ORCID organisation ids, so once Chris WONG connects his ORCID
iD the export writes his HKALL project as a funding and his prize as a distinction to the ORCID
sandbox (in-process, conftest), which shows them on his record."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import call_command

from orcid_connector.client import OrcidSession
from orcid_connector.export import run_export
from orcid_connector.export_sections import organization, skipped
from orcid_sandbox.models import Account, Client
from portal.models import Person
from portal.owned_demo import (
    CHRIS_SLUG,
    DEMO_ORGANIZATION_IDS,
    hand_over_organization_ids,
    organization_ids_path,
)
from tests.integration.fixtures import CHRIS_ORCID, connect_with_sandbox_token

pytestmark = pytest.mark.django_db(databases="__all__")

HKALL_PROJECT = "HKALL: user-initiated resource sharing across Hong Kong academic libraries"
CHRIS_PRIZE = "Library Innovation Award for HKALL"


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Person:
    """The demo university as `make demo` builds it (a small one), in debug mode as it runs."""
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    call_command(
        "seed_demo",
        "--persons",
        "30",
        "--outputs",
        "200",
        "--portal-only",
        "--cast-file",
        str(tmp_path / "demo" / "cast.json"),
        stdout=io.StringIO(),
    )
    return Person.objects.get(slug=CHRIS_SLUG)


def test_chris_funding_and_distinction_reach_his_orcid_record(
    demo: Person,
    account: Account,
    portal_client: Client,
    orcid_session: OrcidSession,
    settings: Any,
) -> None:
    # given: the demo seeded, its organisation ids handed over, Chris connected
    assert organization_ids_path().exists()
    connect_with_sandbox_token(demo, account, portal_client)
    # when: the export runs
    run = run_export(trigger="test", persons=[demo], session=orcid_session).run
    # then: his project is a funding from the University Grants Committee, his prize a
    # distinction from JULAC, both with the demo's organisation ids
    assert run.failed == 0
    [funding] = account.fundings.all()
    assert funding.title == HKALL_PROJECT
    assert (funding.organization_name, funding.disambiguated_id) == (
        "University Grants Committee",
        DEMO_ORGANIZATION_IDS["University Grants Committee"]["id"],
    )
    [distinction] = account.affiliations.filter(section="distinction")
    assert distinction.role_title == CHRIS_PRIZE
    assert distinction.organization_name == "Joint University Librarians Advisory Committee"
    assert not [entry for entry in skipped(demo) if entry.key.startswith(("project", "prize"))]
    # and his ORCID record page shows them
    with httpx.Client(
        transport=settings.ORCID_HTTP_TRANSPORT, base_url="http://testserver"
    ) as orcid:
        record = orcid.get(f"/{CHRIS_ORCID}").text
    assert HKALL_PROJECT in record
    assert CHRIS_PRIZE in record


@pytest.fixture
def handed_over(settings: Any, tmp_path: Path) -> Path:
    """What `seed-demo` hands over, in debug mode as the demo runs."""
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    return hand_over_organization_ids()


def test_the_demo_ids_are_known_in_debug_mode_only(handed_over: Path, settings: Any) -> None:
    # given: the demo's hand-over, read in debug mode
    found = organization("University Grants Committee")
    assert found is not None
    assert (found.disambiguation_source, found.city, found.country) == ("ROR", "Wan Chai", "HK")
    # when: the portal runs with debug off (production)
    settings.DEBUG = False
    # then: the invented ids are not used
    assert organization("University Grants Committee") is None


def test_a_setting_wins_over_the_demo_and_a_broken_file_is_ignored(
    handed_over: Path, settings: Any
) -> None:
    # given: the Library names the organisation's id itself
    settings.ORCID_ORGANIZATION_IDS = {
        "University Grants Committee": {"source": "FUNDREF", "id": "10.13039/x", "city": "HK"}
    }
    # then: its entry, not the demo's
    found = organization("University Grants Committee", country="HK")
    assert found is not None
    assert (found.disambiguation_source, found.disambiguated_id) == ("FUNDREF", "10.13039/x")
    # when: the hand-over is damaged
    settings.ORCID_ORGANIZATION_IDS = {}
    handed_over.write_text("{not json", encoding="utf-8")
    os.utime(handed_over, ns=(1, 1))
    # then: nothing is known from it, and nothing fails
    assert organization("Joint University Librarians Advisory Committee") is None
