"""Is this Scopus Author ID the researcher's? A verdict with its reasons (design §8).

Author Retrieval first: an unknown id, a merged one (the surviving id is offered) and a split
one (the candidates are listed) end the check there. A found profile is weighed on three kinds
of evidence: the name Scopus prints (surname, and given names or initials, compared without
accents or case and after romanising CJK script) against the researcher's names and variants;
the institution's AF-ID in the profile's affiliation history; and the ORCID iD on the profile,
which must be the researcher's or absent. The verdict advises; the Library decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from anyascii import anyascii
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.choices import IdentifierStatus, PersonIdentifierType
from portal.models import Person, PersonIdentifier
from scopus_connector import client
from scopus_connector.models import ScopusCheck, Verdict


@dataclass
class Assessment:
    verdict: Verdict
    reasons: list[str] = field(default_factory=list)
    current_id: str = ""


def _plain(text: str) -> str:
    """Lower-case ASCII letters only: "Wóng" → "wong", "王" → "wang"."""
    return re.sub(r"[^a-z]", "", anyascii(text).lower())


def _initials(given: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s.\-]+", _ascii(given)) if part)


def _ascii(text: str) -> str:
    return anyascii(text).lower().strip()


def _names_of(person: Person) -> list[tuple[str, str]]:
    """(given, family) pairs the researcher is known by."""
    names = [(person.given_names, person.family_name)]
    names += [(v.given_names, v.family_name) for v in person.name_variants.all()]
    if person.known_as:
        parts = person.known_as.split(" - ")[0].split()
        if len(parts) >= 2:
            names.append((" ".join(parts[:-1]), parts[-1]))
    return names


def _only_initials(given: str) -> bool:
    """ "C.", "T.M.", "C" — a given name Scopus printed as initials only."""
    parts = [part for part in re.split(r"[\s.\-]+", _ascii(given)) if part]
    return bool(parts) and all(len(part) == 1 for part in parts)


def names_agree(person: Person, given: str, surname: str) -> bool:
    """Surnames equal, and given names equal, or (when Scopus printed only initials) initials
    that fit: "C." fits "Chris", but "Carl" does not."""
    for person_given, person_family in _names_of(person):
        if not _plain(surname) or _plain(person_family) != _plain(surname):
            continue
        if not _plain(given) or _plain(person_given) == _plain(given):
            return True
        if _only_initials(given) and _initials(person_given).startswith(_initials(given)):
            return True
    return False


def assess_id(person: Person, scopus_id: str, orcid: str) -> Assessment:
    author = client.author(scopus_id)
    if author.status == "not found":
        return Assessment(Verdict.NOT_FOUND, [f"Scopus has no author profile {scopus_id}."])
    if author.status == "split":
        return Assessment(
            Verdict.SPLIT,
            [f"Scopus split profile {scopus_id}: it is now {', '.join(author.candidates)}."],
        )
    reasons = []
    if author.status == "merged":
        reasons.append(f"Scopus merged {scopus_id} into {author.author_id}; record that id.")
    against = []
    if names_agree(person, author.given_name, author.surname):
        reasons.append(f'The name on the profile, "{author.surname}, {author.given_name}", fits.')
    else:
        against.append(
            f'The name on the profile, "{author.surname}, {author.given_name}", '
            "is not one of the researcher's names."
        )
    institution = set(settings.PORTAL_INSTITUTION_AFIDS)
    if institution & set(author.affiliation_ids):
        reasons.append("The profile's affiliation history includes the institution.")
    else:
        against.append("The institution is not in the profile's affiliation history.")
    if author.orcid and orcid and author.orcid != orcid:
        against.append(f"The profile carries another ORCID iD ({author.orcid}).")
    elif author.orcid and author.orcid == orcid:
        reasons.append("The profile carries the researcher's ORCID iD.")
    if author.status == "merged":
        verdict = Verdict.MERGED
    else:
        verdict = Verdict.INCONSISTENT if against else Verdict.CONSISTENT
    return Assessment(verdict, reasons + against, author.author_id)


def check(identifier: PersonIdentifier) -> ScopusCheck:
    """Ask Scopus about one Scopus Author ID on a profile and store the verdict."""
    person = identifier.person
    orcid = next(
        (
            item.value
            for item in person.identifiers.all()
            if item.id_type == PersonIdentifierType.ORCID
            and item.status != IdentifierStatus.REJECTED
        ),
        "",
    )
    try:
        assessment = assess_id(person, identifier.value, orcid)
    except client.ScopusUnavailable as error:
        earlier = ScopusCheck.objects.filter(identifier=identifier).first()
        if earlier is not None and earlier.verdict != Verdict.UNAVAILABLE:
            # Keep what Scopus last said; an outage is not news about the Author ID.
            note = f"A later check could not ask Scopus: {error}"
            earlier.reasons = [r for r in earlier.reasons if not r.startswith("A later check")]
            earlier.reasons.append(note)
            earlier.save(update_fields=["reasons"])
            return earlier
        assessment = Assessment(Verdict.UNAVAILABLE, [str(error)])
    with transaction.atomic():
        result, _ = ScopusCheck.objects.update_or_create(
            identifier=identifier,
            defaults={
                "verdict": assessment.verdict,
                "reasons": assessment.reasons,
                "current_id": assessment.current_id,
                "checked_at": timezone.now(),
            },
        )
    return result
