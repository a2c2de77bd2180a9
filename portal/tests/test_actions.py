"""The write actions: checks, permissions and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from portal.actions import (
    do_add_person_identifier,
    do_add_person_link,
    do_record_authenticated_orcid,
    do_remove_person_identifier,
    do_remove_person_link,
    do_set_identifier_status,
    do_update_profile,
)
from portal.choices import AuditAction, IdentifierStatus
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.models import AuditEntry, PersonIdentifier
from portal.tests.fixtures import make_person

pytestmark = pytest.mark.django_db


def test_add_identifier_normalises_and_audits(researcher):
    # when
    identifier = do_add_person_identifier(
        researcher, "orcid", "https://orcid.org/0000-0002-1825-0097", acting_user=researcher.user
    )
    # then
    assert identifier.value == "0000-0002-1825-0097"
    entry = AuditEntry.objects.get(target_type="portal.personidentifier")
    assert entry.action == AuditAction.CREATE
    assert entry.actor == researcher.user
    assert entry.person == researcher
    assert entry.after["value"] == "0000-0002-1825-0097"


def test_add_identifier_refuses_wrong_check_digit(researcher):
    with pytest.raises(InvalidIdentifierError, match="ORCID iD check digit should be 1, not 0"):
        do_add_person_identifier(researcher, "orcid", "0000-0000-0000-0000", acting_user=None)
    assert not PersonIdentifier.objects.exists()


def test_add_identifier_refuses_unknown_type(researcher):
    with pytest.raises(InvalidIdentifierError, match="'wikidata' is not an ID type"):
        do_add_person_identifier(researcher, "wikidata", "Q42", acting_user=None)


def test_add_identifier_refuses_one_held_by_another_person(researcher):
    # given
    other = make_person("Mary", "CHAN")
    do_add_person_identifier(other, "scopus_author_id", "98765432100", acting_user=None)
    # when / then
    with pytest.raises(DuplicateIdentifierError, match="already on another researcher's profile"):
        do_add_person_identifier(researcher, "scopus_author_id", "98765432100", acting_user=None)


def test_add_identifier_refuses_second_orcid(researcher):
    do_add_person_identifier(researcher, "orcid", "0000-0002-1825-0097", acting_user=None)
    with pytest.raises(DuplicateIdentifierError, match="one ORCID iD"):
        do_add_person_identifier(researcher, "orcid", "0000-0000-0000-0001", acting_user=None)


def test_researcher_cannot_edit_someone_else(researcher):
    other = make_person("Mary", "CHAN")
    with pytest.raises(NotAllowedError):
        do_add_person_identifier(other, "isni", "0000000121032683", acting_user=researcher.user)
    with pytest.raises(NotAllowedError):
        do_update_profile(other, {"phone": "1"}, acting_user=researcher.user)


def test_researcher_cannot_change_official_name(researcher):
    with pytest.raises(NotAllowedError, match="family_name"):
        do_update_profile(researcher, {"family_name": "X"}, acting_user=researcher.user)


def test_update_profile_records_before_and_after(researcher):
    # when
    changed = do_update_profile(
        researcher,
        {"phone": "+852 1234", "address": researcher.address},
        acting_user=researcher.user,
    )
    # then
    assert changed == ["phone"]
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.before == {"phone": ""}
    assert entry.after == {"phone": "+852 1234"}


def test_only_library_verifies(researcher, library_user):
    identifier = do_add_person_identifier(
        researcher, "scopus_author_id", "98765432100", acting_user=researcher.user
    )
    with pytest.raises(NotAllowedError):
        do_set_identifier_status(identifier, IdentifierStatus.VERIFIED, acting_user=researcher.user)
    do_set_identifier_status(
        identifier, IdentifierStatus.VERIFIED, acting_user=library_user, evidence="Scopus profile"
    )
    identifier.refresh_from_db()
    assert identifier.status == IdentifierStatus.VERIFIED
    assert identifier.status_changed_by == library_user


def test_nobody_marks_authenticated_by_hand(researcher, library_user):
    identifier = do_add_person_identifier(
        researcher, "orcid", "0000-0000-0000-0001", acting_user=None
    )
    with pytest.raises(NotAllowedError, match="ORCID sign-in"):
        do_set_identifier_status(
            identifier, IdentifierStatus.AUTHENTICATED, acting_user=library_user
        )


def test_remove_identifier_is_audited(researcher):
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    do_remove_person_identifier(identifier, acting_user=researcher.user)
    assert not PersonIdentifier.objects.exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, before__value="0000000121032683"
    ).exists()


def test_add_link_refuses_unsafe_addresses_and_audits_good_ones(researcher):
    # given / when: a script address is refused by the model's own validation
    with pytest.raises(ValidationError):
        do_add_person_link(
            researcher, "google_scholar", "javascript:alert(1)", acting_user=researcher.user
        )
    assert not researcher.links.exists()
    # when: a real address
    link = do_add_person_link(
        researcher, "google_scholar", "https://scholar.google.com/x", acting_user=researcher.user
    )
    # then
    entry = AuditEntry.objects.get(target_type="portal.personlink")
    assert entry.action == AuditAction.CREATE
    assert entry.after["url"] == "https://scholar.google.com/x"
    do_remove_person_link(link, acting_user=researcher.user)
    assert AuditEntry.objects.filter(
        target_type="portal.personlink", action=AuditAction.DELETE
    ).exists()


def test_links_and_identifiers_of_others_cannot_be_touched(researcher):
    other = make_person("Mary", "CHAN")
    link = do_add_person_link(other, "github", "https://github.com/mary", acting_user=None)
    identifier = do_add_person_identifier(other, "isni", "0000000121032683", acting_user=None)
    for attempt in (
        lambda: do_remove_person_link(link, acting_user=researcher.user),
        lambda: do_remove_person_identifier(identifier, acting_user=researcher.user),
        lambda: do_add_person_link(other, "other", "https://x.org", acting_user=researcher.user),
    ):
        with pytest.raises(NotAllowedError):
            attempt()
    assert other.links.count() == 1
    assert other.identifiers.count() == 1


def test_researcher_cannot_self_verify_an_identifier(researcher):
    with pytest.raises(NotAllowedError):
        do_add_person_identifier(
            researcher,
            "scopus_author_id",
            "98765432100",
            acting_user=researcher.user,
            status=IdentifierStatus.VERIFIED,
        )
    assert not researcher.identifiers.exists()


def test_profile_search_text_follows_name_changes(researcher):
    do_update_profile(researcher, {"known_as": "Dr Chris Wong"}, acting_user=researcher.user)
    researcher.refresh_from_db()
    assert "dr chris wong" in researcher.search_text
    assert "王大明" in researcher.search_text


# --- Identifier claims ranked: proof (ORCID sign-in, Library verification) beats typing -------

WINNIES_ORCID = "0000-0002-1825-0097"
WINNIES_SCOPUS = "57190000001"


def test_a_typed_id_proven_elsewhere_is_refused_with_the_reason(researcher, library_user):
    # given: Winnie's ORCID iD authenticated by sign-in, her Scopus Author ID verified
    winnie = make_person("Winnie", "HO")
    do_record_authenticated_orcid(winnie, WINNIES_ORCID, acting_user=winnie.user)
    do_add_person_identifier(
        winnie,
        "scopus_author_id",
        WINNIES_SCOPUS,
        acting_user=library_user,
        status=IdentifierStatus.VERIFIED,
    )
    # when / then: Irene (the researcher) types them on her own profile
    with pytest.raises(DuplicateIdentifierError, match="authenticated by ORCID sign-in"):
        do_add_person_identifier(researcher, "orcid", WINNIES_ORCID, acting_user=researcher.user)
    with pytest.raises(DuplicateIdentifierError, match="verified by the Library"):
        do_add_person_identifier(
            researcher, "scopus_author_id", WINNIES_SCOPUS, acting_user=researcher.user
        )
    assert not researcher.identifiers.exists()


def test_orcid_sign_in_displaces_an_iD_someone_else_typed(
    researcher, mailoutbox, settings, django_capture_on_commit_callbacks
):
    # given: Winnie removed her typed iD; Irene then typed Winnie's iD on her own profile
    settings.PORTAL_LIBRARY_EMAIL = "library@example.org"
    winnie = make_person("Winnie", "HO")
    typed = do_add_person_identifier(winnie, "orcid", WINNIES_ORCID, acting_user=winnie.user)
    do_remove_person_identifier(typed, acting_user=winnie.user)
    irene = researcher
    squatted = do_add_person_identifier(irene, "orcid", WINNIES_ORCID, acting_user=irene.user)
    # when: Winnie's real ORCID sign-in succeeds
    with django_capture_on_commit_callbacks(execute=True):
        proven = do_record_authenticated_orcid(winnie, WINNIES_ORCID, acting_user=winnie.user)
    # then: the proof wins and Irene's copy is gone, with an audit entry on her profile
    assert proven.person == winnie
    assert proven.status == IdentifierStatus.AUTHENTICATED
    assert not irene.identifiers.exists()
    entry = AuditEntry.objects.get(
        person=irene, action=AuditAction.DELETE, target_id=str(squatted.pk)
    )
    assert entry.before["value"] == WINNIES_ORCID
    assert entry.after == {"displaced_by": winnie.slug, "reason": "Signed in to ORCID"}
    assert entry.actor == winnie.user
    # and the Library is told by e-mail
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["library@example.org"]
    assert WINNIES_ORCID in mailoutbox[0].subject
    assert irene.display_name in mailoutbox[0].body
    assert winnie.display_name in mailoutbox[0].body


def test_orcid_sign_in_is_refused_when_the_iD_is_proven_elsewhere(researcher, library_user):
    # given: the iD verified by the Library on Irene's profile
    do_add_person_identifier(
        researcher,
        "orcid",
        WINNIES_ORCID,
        acting_user=library_user,
        status=IdentifierStatus.VERIFIED,
    )
    winnie = make_person("Winnie", "HO")
    # when / then
    with pytest.raises(DuplicateIdentifierError, match="proven there"):
        do_record_authenticated_orcid(winnie, WINNIES_ORCID, acting_user=winnie.user)
    assert researcher.identifiers.get().status == IdentifierStatus.VERIFIED


def test_library_verification_displaces_an_unclaimed_scopus_id_someone_typed(
    researcher, library_user, mailoutbox, django_capture_on_commit_callbacks
):
    # given: Irene typed a Scopus Author ID nobody had claimed
    irene = researcher
    do_add_person_identifier(irene, "scopus_author_id", WINNIES_SCOPUS, acting_user=irene.user)
    winnie = make_person("Winnie", "HO")
    # when: the Library records it on Winnie's profile as verified
    with django_capture_on_commit_callbacks(execute=True):
        verified = do_add_person_identifier(
            winnie,
            "scopus_author_id",
            WINNIES_SCOPUS,
            acting_user=library_user,
            status=IdentifierStatus.VERIFIED,
            evidence="Scopus profile lists Winnie's publications",
        )
    # then
    assert verified.person == winnie
    assert not irene.identifiers.exists()
    entry = AuditEntry.objects.get(person=irene, action=AuditAction.DELETE)
    assert entry.after["reason"] == "Verified by the Library"
    assert len(mailoutbox) == 1


def test_a_typed_claim_elsewhere_still_refuses_another_typed_claim(researcher):
    # given: Irene typed a Scopus Author ID; Winnie types the same, without proof
    do_add_person_identifier(
        researcher, "scopus_author_id", WINNIES_SCOPUS, acting_user=researcher.user
    )
    winnie = make_person("Winnie", "HO")
    # when / then: first come stays until someone proves it; the Library sorts it out
    with pytest.raises(DuplicateIdentifierError, match="already on another researcher's profile"):
        do_add_person_identifier(
            winnie, "scopus_author_id", WINNIES_SCOPUS, acting_user=winnie.user
        )


def test_a_researcher_cannot_displace_anyone_by_claiming_proof(researcher):
    # given: Irene typed an ID; Winnie tries to add it as verified herself
    do_add_person_identifier(
        researcher, "scopus_author_id", WINNIES_SCOPUS, acting_user=researcher.user
    )
    winnie = make_person("Winnie", "HO")
    # when / then
    with pytest.raises(NotAllowedError):
        do_add_person_identifier(
            winnie,
            "scopus_author_id",
            WINNIES_SCOPUS,
            acting_user=winnie.user,
            status=IdentifierStatus.VERIFIED,
        )
    assert researcher.identifiers.exists()


def test_a_failed_proof_rolls_the_displacement_back(
    researcher, mailoutbox, django_capture_on_commit_callbacks
):
    # given: Irene typed Winnie's iD
    irene = researcher
    do_add_person_identifier(irene, "orcid", WINNIES_ORCID, acting_user=irene.user)
    winnie = make_person("Winnie", "HO")

    def connect_then_fail() -> None:
        with transaction.atomic():
            do_record_authenticated_orcid(winnie, WINNIES_ORCID, acting_user=winnie.user)
            raise NotAllowedError("something later refused")

    # when: an action that displaces, then fails in the same transaction
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowedError):
        connect_then_fail()
    # then: nothing removed, nobody mailed
    assert irene.identifiers.get().value == WINNIES_ORCID
    assert mailoutbox == []
