"""When proof displaces a typed identifier: the Library's notice and e-mail.

A typed (Entered) ORCID iD or Scopus Author ID never outranks one proven by an ORCID sign-in or
verified by the Library. When proof arrives for an identifier another researcher typed, the
action removes the typed copy with an audit entry whose `after` names the winner
(`DISPLACED_BY`); the Library console lists those entries, and the Library's address is mailed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse

from portal.choices import AuditAction, PersonIdentifierType
from portal.models import AuditEntry, Person

log = logging.getLogger(__name__)

# The key of a removal's audit `after` that marks it as displaced by proof elsewhere.
DISPLACED_BY = "displaced_by"
NOTICES_SHOWN = 20


def _profile_link(name: str, person: Person) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=[person.slug])


def tell_library_of_displaced_claim(
    loser: Person, winner: Person, id_type: str, value: str, proof: str
) -> None:
    """Mail the Library that a typed identifier gave way to a proven claim (after commit)."""
    label = PersonIdentifierType(id_type).label
    subject = (
        f"[{settings.PORTAL_SITE_NAME}] {label} {value} removed from {loser.display_name}'s profile"
    )
    body = (
        f"The {label} {value} was typed on the profile of {loser.display_name} "
        f"(EID {loser.staff_id}) without proof.\n"
        f"{winner.display_name} (EID {winner.staff_id}) has now proved it: {proof}.\n"
        "The typed copy was removed; the audit log of both profiles records it.\n\n"
        f"{loser.display_name}: {_profile_link('portal:person-history', loser)}\n"
        f"{winner.display_name}: {_profile_link('portal:person-history', winner)}\n\n"
        "Please check with the researcher whose copy was removed.\n"
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [settings.PORTAL_LIBRARY_EMAIL])
    except OSError:
        # The removal stands and the console shows it; a mail server's refusal must not undo it.
        log.exception("Could not mail the Library about the displaced %s %s", label, value)


def displaced_claims() -> QuerySet[AuditEntry]:
    """The latest typed identifiers removed because someone else proved them, newest first."""
    return AuditEntry.objects.filter(
        target_type="portal.personidentifier",
        action=AuditAction.DELETE,
        after__has_key=DISPLACED_BY,
    ).select_related("person")[:NOTICES_SHOWN]
