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

from anyascii import anyascii
from django.conf import settings

from portal.audit import Actor
from portal.choices import IdentifierStatus, PersonIdentifierType
from portal.models import Person, PersonIdentifier
from scopus_connector.actions import Assessment, do_note_scopus_outage, do_record_scopus_check
from scopus_connector.choices import AuthorStatus, Verdict
from scopus_connector.client import ScopusError, ScopusSession
from scopus_connector.models import ScopusCheck


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


def assess_id(person: Person, scopus_id: str, orcid: str, *, session: ScopusSession) -> Assessment:
    """Weigh what Author Retrieval says of one Scopus Author ID against the researcher."""
    author = session.get_author(scopus_id)
    if author.status == AuthorStatus.NOT_FOUND:
        return Assessment(Verdict.NOT_FOUND, (f"Scopus has no author profile {scopus_id}.",))
    if author.status == AuthorStatus.SPLIT:
        return Assessment(
            Verdict.SPLIT,
            (f"Scopus split profile {scopus_id}: it is now {', '.join(author.candidates)}.",),
        )
    reasons = []
    if author.status == AuthorStatus.MERGED:
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
    if author.status == AuthorStatus.MERGED:
        verdict = Verdict.MERGED
    else:
        verdict = Verdict.INCONSISTENT if against else Verdict.CONSISTENT
    return Assessment(verdict, tuple(reasons + against), author.author_id)


def check(
    identifier: PersonIdentifier,
    *,
    acting_user: Actor = None,
    session: ScopusSession | None = None,
) -> ScopusCheck:
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
    # Scopus is asked before any transaction opens: the actions below only write.
    try:
        if session is not None:
            assessment = assess_id(person, identifier.value, orcid, session=session)
        else:
            with ScopusSession.from_settings() as own:
                assessment = assess_id(person, identifier.value, orcid, session=own)
    except ScopusError as error:
        earlier = ScopusCheck.objects.filter(identifier=identifier).first()
        if earlier is not None and earlier.verdict != Verdict.UNAVAILABLE:
            return do_note_scopus_outage(earlier, str(error), acting_user=acting_user)
        assessment = Assessment(Verdict.UNAVAILABLE, (str(error),))
    return do_record_scopus_check(identifier, assessment, acting_user=acting_user)
