"""Demo content of activities, prizes, impact and press: built by `seed-demo`, deterministic,
scaling with --persons and --outputs, Chris WONG's shown on his profile, removed by --reset."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.test import Client

from activities.models import Activity, ActivityPerson
from impacts.models import Impact
from portal.models import AuditEntry
from portal.models.owned import OwnedItem, people_model_of
from portal.tests.fixtures import seed_portal_demo
from press.models import PressItem
from prizes.models import Prize, PrizeRecipient

pytestmark = pytest.mark.django_db(databases="__all__")
MODELS: tuple[type[OwnedItem], ...] = (Activity, Prize, Impact, PressItem)
PEOPLE_COLUMNS = ["item_id", "person_id", "role", "position"]


def fingerprint() -> str:
    digest = hashlib.sha256()
    rows: list[object] = []
    for model in MODELS:
        rows += model._default_manager.order_by("pk").values_list(
            "pk", "title", "owner_id", "status"
        )
        rows += people_model_of(model)._default_manager.order_by("pk").values_list(*PEOPLE_COLUMNS)
    rows += Impact.related_outputs.through.objects.order_by("pk").values_list(
        "impact_id", "researchoutput_id"
    )
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def test_seed_demo_builds_every_type_and_chris_shows_an_activity_and_a_prize(
    tmp_path: Path, client: Client
) -> None:
    # when
    report = seed_portal_demo(tmp_path)
    # then: every type has content, mostly public, and the report says how much
    for model in MODELS:
        assert model._default_manager.filter(status="public").exists()
        assert f"demo items from {model._meta.app_label}.demo" in report
    assert Impact.related_outputs.through.objects.exists()
    assert ActivityPerson.objects.filter(person__slug="chris-wong-demo").exists()
    assert PrizeRecipient.objects.filter(person__slug="chris-wong-demo").exists()
    profile = client.get("/persons/chris-wong-demo/").content.decode()
    assert "Keynote: User-initiated resource sharing in Hong Kong universities" in profile
    assert "Library Innovation Award for HKALL" in profile
    # and every menu item answers with demo content
    for path in ("/activities/", "/prizes/", "/impact/", "/press-media/"):
        page = client.get(path)
        assert page.status_code == 200
        assert "No " not in page.content.decode().split("result-count", 1)[1][:200]


def test_seed_demo_content_is_deterministic_and_scales(tmp_path: Path) -> None:
    # given
    seed_portal_demo(tmp_path)
    first = fingerprint()
    small = [model._default_manager.count() for model in MODELS]
    # when: rebuilt with the same seed, then at a larger size
    seed_portal_demo(tmp_path, "--reset")
    again = fingerprint()
    seed_portal_demo(tmp_path, "--reset", persons=80, outputs=1600)
    larger = [model._default_manager.count() for model in MODELS]
    # then
    assert again == first
    assert all(big > little for big, little in zip(larger, small, strict=True))


def test_seed_demo_audits_its_batches(tmp_path: Path) -> None:
    seed_portal_demo(tmp_path)
    descriptions = " ".join(
        entry.target_label for entry in AuditEntry.objects.filter(actor_label="system")
    )
    for plural in ("activities", "prizes", "impacts", "press / media items"):
        assert f"demo {plural}" in descriptions
