"""Every write of the exercise app: atomic, audited on the person it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from exercise.choices import MessageKind, SuggestionState
from exercise.discovery import Discovery
from exercise.models import Campaign, CampaignMessage, ExerciseOptOut, ScopusIdSuggestion
from portal.actions import do_add_person_identifier
from portal.audit import Actor, acting_account, audited_update, record_change, snapshot
from portal.choices import AuditAction, PersonIdentifierType
from portal.errors import NotAllowedError
from portal.models import OrgUnit, Person, PersonIdentifier
from portal.permissions import can_edit_person, is_library_staff

SUGGESTION_FIELDS = ["author_id", "matched", "found", "state"]
CAMPAIGN_FIELDS = [
    "name",
    "unit",
    "role",
    "deadline",
    "reminder_every_days",
    "max_reminders",
    "subject",
    "active",
]


@transaction.atomic
def do_record_discovery(
    person: Person, discovery: Discovery, *, acting_user: Actor
) -> list[ScopusIdSuggestion]:
    """Keep the Scopus Author IDs the discovery found as suggestions; an answer the researcher
    already gave ("Not me", or added to the profile) stands."""
    kept = []
    for author_id, count in discovery.profiles:
        suggestion, created = ScopusIdSuggestion.objects.get_or_create(
            person=person,
            author_id=author_id,
            defaults={"matched": count, "found": discovery.found},
        )
        if created:
            record_change(
                actor=acting_user,
                action=AuditAction.CREATE,
                target=suggestion,
                person=person,
                after=snapshot(suggestion, SUGGESTION_FIELDS),
            )
        elif (suggestion.matched, suggestion.found) != (count, discovery.found):
            suggestion.matched, suggestion.found = count, discovery.found
            suggestion.save(update_fields=["matched", "found", "updated_at"])
        kept.append(suggestion)
    stale = ScopusIdSuggestion.objects.filter(person=person, state=SuggestionState.OPEN).exclude(
        author_id__in=[author_id for author_id, _ in discovery.profiles]
    )
    for suggestion in stale:
        record_change(
            actor=acting_user,
            action=AuditAction.DELETE,
            target=suggestion,
            person=person,
            before=snapshot(suggestion, SUGGESTION_FIELDS),
        )
        suggestion.delete()
    return kept


def _answer(suggestion: ScopusIdSuggestion, state: SuggestionState, acting_user: Actor) -> None:
    if acting_user is not None and not can_edit_person(acting_user, suggestion.person):
        raise NotAllowedError("You can only answer suggestions made for your own profile.")
    if suggestion.state != SuggestionState.OPEN:
        raise NotAllowedError("This suggestion was answered already.")
    with audited_update(suggestion, SUGGESTION_FIELDS, actor=acting_user, person=suggestion.person):
        suggestion.state = state
        suggestion.save(update_fields=["state", "updated_at"])


@transaction.atomic
def do_accept_scopus_suggestion(
    suggestion: ScopusIdSuggestion, *, acting_user: Actor
) -> PersonIdentifier:
    """ "Is this you?" → yes: the Scopus Author ID goes on the profile as Entered, for the
    Library to verify."""
    suggestion = ScopusIdSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _answer(suggestion, SuggestionState.ACCEPTED, acting_user)
    return do_add_person_identifier(
        suggestion.person,
        PersonIdentifierType.SCOPUS_AUTHOR_ID,
        suggestion.author_id,
        acting_user=acting_user,
        evidence=(
            f"Found by the portal on {suggestion.matched} of the researcher's "
            f"{suggestion.found} validated outputs in Scopus."
        ),
    )


@transaction.atomic
def do_dismiss_scopus_suggestion(suggestion: ScopusIdSuggestion, *, acting_user: Actor) -> None:
    """ "Not me": the profile is never suggested to this researcher again."""
    suggestion = ScopusIdSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _answer(suggestion, SuggestionState.DISMISSED, acting_user)


@dataclass(frozen=True)
class CampaignDraft:
    """What the Library fills in to start a campaign."""

    name: str
    deadline: date
    subject: str
    body: str
    unit: OrgUnit | None = None
    role: str = ""
    reminder_every_days: int = 7
    max_reminders: int = 3


def _require_library(acting_user: Actor) -> None:
    if acting_user is not None and not is_library_staff(acting_user):
        raise NotAllowedError("Only Library staff run exercise campaigns.")


@transaction.atomic
def do_create_campaign(draft: CampaignDraft, *, acting_user: Actor) -> Campaign:
    """Start a campaign; its invitations go out with the next sending (at once from the page)."""
    _require_library(acting_user)
    campaign = Campaign.objects.create(
        name=draft.name,
        unit=draft.unit,
        role=draft.role,
        deadline=draft.deadline,
        reminder_every_days=draft.reminder_every_days,
        max_reminders=draft.max_reminders,
        subject=draft.subject,
        body=draft.body,
        created_by=acting_account(acting_user),
    )
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=campaign,
        person=None,
        after=snapshot(campaign, CAMPAIGN_FIELDS),
    )
    return campaign


@transaction.atomic
def do_end_campaign(campaign: Campaign, *, acting_user: Actor) -> None:
    """Stop sending a campaign's reminders."""
    _require_library(acting_user)
    with audited_update(campaign, CAMPAIGN_FIELDS, actor=acting_user, person=None):
        campaign.active = False
        campaign.save(update_fields=["active"])


@transaction.atomic
def do_claim_campaign_message(
    campaign: Campaign,
    person: Person,
    sequence: int,
    *,
    acting_user: Actor,
    now: datetime | None = None,
) -> CampaignMessage | None:
    """Reserve one message before it is sent; None when it was reserved already, so that no
    one is ever mailed twice for one invitation or reminder, whoever sends at the same time."""
    try:
        with transaction.atomic():
            message = CampaignMessage.objects.create(
                campaign=campaign,
                person=person,
                sequence=sequence,
                kind=MessageKind.INVITATION if sequence == 0 else MessageKind.REMINDER,
                to_address=person.email,
                claimed_at=now or timezone.now(),
            )
    except IntegrityError:
        return None
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=message,
        person=person,
        after=snapshot(message, ["campaign", "sequence", "kind", "to_address"]),
    )
    return message


@transaction.atomic
def do_record_message_outcome(
    message: CampaignMessage, error: str = "", *, acting_user: Actor
) -> None:
    """After the mail server answered: sent, or why not (a failed message is not retried)."""
    with audited_update(message, ["sent_at", "error"], actor=acting_user, person=message.person):
        if error:
            message.error = error[:300]
        else:
            message.sent_at = timezone.now()
        message.save(update_fields=["sent_at", "error"])


@transaction.atomic
def do_opt_out_of_exercise_mail(person: Person, *, acting_user: Actor) -> ExerciseOptOut:
    """The researcher asks for no more exercise mail (from the link in every message)."""
    opt_out, created = ExerciseOptOut.objects.get_or_create(person=person)
    if created:
        record_change(
            actor=acting_user,
            action=AuditAction.CREATE,
            target=opt_out,
            person=person,
            after={"opted_out": True},
        )
    return opt_out
