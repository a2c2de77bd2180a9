"""audited_update: one UPDATE entry with the audited fields before and after the block."""

from __future__ import annotations

import pytest

from portal.audit import audited_update
from portal.choices import AuditAction
from portal.models import AuditEntry
from portal.tests.fixtures import make_library_user, make_person

pytestmark = pytest.mark.django_db


def test_the_block_s_change_is_recorded_with_before_and_after() -> None:
    # given
    chris = make_person()
    librarian = make_library_user()
    chris.email = "old@cityu.edu.hk"
    chris.save()
    # when
    with audited_update(chris, ["email", "known_as"], actor=librarian, person=chris) as person:
        person.email = "new@cityu.edu.hk"
        person.save(update_fields=["email"])
    # then
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.UPDATE
    assert entry.actor == librarian
    assert entry.person == chris
    assert entry.target_type == "portal.person"
    assert entry.target_id == str(chris.pk)
    assert entry.before == {"email": "old@cityu.edu.hk", "known_as": chris.known_as}
    assert entry.after == {"email": "new@cityu.edu.hk", "known_as": chris.known_as}


def test_a_block_that_raises_records_nothing() -> None:
    # given
    chris = make_person()

    def refused_change() -> None:
        with audited_update(chris, ["email"], actor=None, person=chris):
            chris.email = "half@cityu.edu.hk"
            raise ValueError("refused")

    # when
    with pytest.raises(ValueError, match="refused"):
        refused_change()
    # then
    assert not AuditEntry.objects.exists()


def test_a_job_s_change_names_the_system() -> None:
    chris = make_person()
    with audited_update(chris, ["known_as"], actor=None, person=chris):
        chris.known_as = "Chris WONG - demo"
        chris.save(update_fields=["known_as"])
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_label) == (None, "system")
    assert entry.after == {"known_as": "Chris WONG - demo"}
