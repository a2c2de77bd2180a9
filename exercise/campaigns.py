"""Who a campaign mails, what it says, and the one routine that sends what is due.

A campaign invites every current researcher of its selection who has not finished the
exercise, then reminds them every so many days until they finish, the deadline passes or the
reminders run out. Leavers, researchers without an e-mail address and those who opted out are
skipped. Each message is reserved (a unique row) before it is sent, so no one is mailed twice
for one reminder, whoever sends at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from string import Template

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from exercise.actions import do_claim_campaign_message, do_record_message_outcome
from exercise.choices import Part2State
from exercise.models import Campaign, CampaignMessage
from portal.choices import PersonStatus
from portal.models import Person
from portal.queries import unit_and_descendant_ids

# What a campaign's subject and text may say; the Library edits them on the campaign page.
PLACEHOLDERS = {
    "name": "the researcher's name",
    "guide_url": "the exercise's user guide",
    "edit_profile_url": '"Edit profile" in the researcher backend',
    "deadline": "the campaign's deadline",
    "opt_out_url": "where to stop these messages",
    "site_name": "the portal's name",
}
DEFAULT_SUBJECT = "ORCID Creation and Integration Exercise: please take part by ${deadline}"
DEFAULT_BODY = """Dear ${name},

The University asks every researcher to connect an authenticated ORCID iD to ${site_name}
(Part 1) and to integrate that ORCID iD with their Scopus Author ID (Part 2).

The user guide walks you through both parts:
${guide_url}

Start on "Edit profile":
${edit_profile_url}

Please finish by ${deadline}. Once both parts are done, your ORCID record is kept up to date
with your validated research output from ${site_name} every day.

The Library

To stop receiving these messages: ${opt_out_url}
"""
OPT_OUT_SALT = "exercise-opt-out"


def template_problems(text: str) -> list[str]:
    """What is wrong with a subject or text the Library typed, in words; [] when fine."""
    template = Template(text)
    if not template.is_valid():
        return ['A "$" must start a placeholder such as ${name}; write "$$" for a dollar sign.']
    unknown = sorted(set(template.get_identifiers()) - set(PLACEHOLDERS))
    if unknown:
        return [
            f"Unknown placeholder(s): {', '.join('${' + name + '}' for name in unknown)}. "
            f"Known: {', '.join('${' + name + '}' for name in PLACEHOLDERS)}."
        ]
    return []


def opt_out_token(person: Person) -> str:
    return signing.dumps(person.pk, salt=OPT_OUT_SALT)


def person_from_opt_out_token(token: str) -> Person | None:
    """The researcher an opt-out link was made for, or None for a forged or damaged link."""
    try:
        person_id = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(person_id, int):
        return None
    return Person.objects.filter(pk=person_id).first()


def render(campaign: Campaign, person: Person) -> tuple[str, str]:
    """The subject and text one researcher receives."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    values = {
        "name": person.display_name,
        "guide_url": base + reverse("exercise:guide"),
        "edit_profile_url": base + reverse("portal:edit-own-profile"),
        "deadline": f"{campaign.deadline:%-d %B %Y}",
        "opt_out_url": base + reverse("exercise:opt-out", args=[opt_out_token(person)]),
        "site_name": settings.PORTAL_SITE_NAME,
    }
    # One line: a subject with a line break would be refused by the mail library.
    subject = " ".join(Template(campaign.subject).safe_substitute(values).split())
    return subject, Template(campaign.body).safe_substitute(values)


def selection(campaign: Campaign) -> QuerySet[Person]:
    """The current researchers a campaign is for who still have something to do and can be
    mailed."""
    done = Q(exercise__part1_complete=True) & Q(
        exercise__part2_state__in=[Part2State.COMPLETE, Part2State.NOT_APPLICABLE]
    )
    persons = (
        Person.objects.filter(status=PersonStatus.CURRENT)
        .exclude(email="")
        .exclude(exercise_opt_out__isnull=False)
        .exclude(done)
    )
    if campaign.unit_id is not None and campaign.unit is not None:
        persons = persons.filter(positions__org_unit_id__in=unit_and_descendant_ids(campaign.unit))
    if campaign.role:
        persons = persons.filter(positions__role=campaign.role)
    return persons.distinct().order_by("pk")


def next_sequence(campaign: Campaign, sent: list[CampaignMessage], now: datetime) -> int | None:
    """The message due to a researcher now (0: the invitation), or None."""
    if timezone.localdate(now) > campaign.deadline:
        return None
    if not sent:
        return 0
    latest = max(sent, key=lambda message: message.sequence)
    if latest.sequence >= campaign.max_reminders:
        return None
    if now - latest.claimed_at < timedelta(days=campaign.reminder_every_days):
        return None
    return latest.sequence + 1


@dataclass
class SendSummary:
    campaigns: int = 0
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.campaigns} campaign(s): {self.sent} message(s) sent, {self.failed} failed"


def send_due(now: datetime | None = None, campaigns: list[Campaign] | None = None) -> SendSummary:
    """Send every invitation and reminder that is due (the daily job and the Library's
    "Send due messages now"); one SMTP connection for the whole run."""
    now = now or timezone.now()
    if campaigns is None:
        today = timezone.localdate(now)
        campaigns = list(Campaign.objects.filter(active=True, deadline__gte=today))
    summary = SendSummary(campaigns=len(campaigns))
    with get_connection() as connection:
        for campaign in campaigns:
            persons = list(selection(campaign))
            sent_by_person: dict[int, list[CampaignMessage]] = {}
            for earlier in CampaignMessage.objects.filter(
                campaign=campaign, person__in=[person.pk for person in persons]
            ):
                sent_by_person.setdefault(earlier.person_id, []).append(earlier)
            for person in persons:
                sequence = next_sequence(campaign, sent_by_person.get(person.pk, []), now)
                if sequence is None:
                    continue
                message = do_claim_campaign_message(
                    campaign, person, sequence, acting_user=None, now=now
                )
                if message is None:
                    continue  # another sender reserved it first
                subject, body = render(campaign, person)
                mail = EmailMessage(subject, body, to=[person.email], connection=connection)
                try:
                    mail.send()
                except Exception as error:  # the mail server's refusal is recorded, not raised
                    do_record_message_outcome(
                        message, f"{type(error).__name__}: {error}", acting_user=None
                    )
                    summary.failed += 1
                else:
                    do_record_message_outcome(message, acting_user=None)
                    summary.sent += 1
    return summary
