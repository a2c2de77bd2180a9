"""Desired state of the new ORCID sections, from the portal's apps: a researcher's public prizes
become distinctions, their public activities memberships, services or invited positions, and
their projects with a funder and a grant number fundings (sections.py writes each).

ORCID refuses an affiliation or a funding whose organisation has no disambiguated id (Ringgold,
ROR, FundRef: 400/9045), and the portal keeps organisations as names. `organization()` finds
the id: the institution itself (PORTAL_INSTITUTION_* settings), or an entry of the
ORCID_ORGANIZATION_IDS setting, read from the JSON file ORCID_ORGANIZATION_IDS_FILE names and
keyed by the organisation's name, e.g.

    {"Research Grants Council": {"source": "FUNDREF",
        "id": "http://dx.doi.org/10.13039/501100002920", "city": "Wan Chai", "country": "HK"}}

The demo's organisations get theirs from the demo itself: `seed-demo` hands them over in
var/demo (portal.owned_demo.DEMO_ORGANIZATION_IDS, mostly invented ids), read only in debug mode,
as the demo runs; a setting's entry wins over the demo's.

An item whose organisation has no id is left out (`skipped()` says which and why) rather than
sent to be refused: there is nothing the next run could do differently until the Library adds
the organisation.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from activities.choices import ActivityKind
from activities.models import ActivityPerson
from orcid_connector.choices import ExportKind
from orcid_connector.mapping import Desired, portal_url
from orcid_connector.sections import (
    AffiliationEntry,
    FundingContributor,
    FundingItem,
    Organization,
    Period,
    SectionError,
)
from portal.choices import OwnedItemStatus
from portal.models import Person
from portal.owned_demo import organization_ids_path
from prizes.models import PrizeRecipient
from projects.models import Project, ProjectPerson

log = logging.getLogger(__name__)
# Participants listed on a funding, as on works (mapping.MAX_CONTRIBUTORS).
MAX_CONTRIBUTORS = 50

# Which ORCID section an activity of each kind becomes; the other kinds (talks, examinations,
# hosting) have no ORCID affiliation section and stay on the portal only.
ACTIVITY_SECTIONS: dict[str, ExportKind] = {
    ActivityKind.MEMBERSHIP: ExportKind.MEMBERSHIP,
    ActivityKind.SERVICE: ExportKind.SERVICE,
    ActivityKind.EDITORIAL: ExportKind.SERVICE,
    ActivityKind.INVITED_POSITION: ExportKind.INVITED_POSITION,
    ActivityKind.VISIT: ExportKind.INVITED_POSITION,
}


@dataclass(frozen=True)
class Skipped:
    """An item the portal cannot write to ORCID, and why."""

    key: str
    reason: str


def demo_organization_ids() -> dict[str, dict[str, str]]:
    """The ids `seed-demo` handed over for the demo's organisations, in debug mode only: they
    are invented for the offline demo, and the real ORCID would refuse them."""
    if not settings.DEBUG:
        return {}
    path = organization_ids_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read_organization_ids(str(path), stamp)


@functools.lru_cache(maxsize=4)
def _read_organization_ids(path: str, stamp: int) -> dict[str, dict[str, str]]:
    """The hand-over file's entries, read once per version of it (`stamp` tells them apart)."""
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("could not read the demo's organisation ids from %s", path)
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {str(name): entry for name, entry in loaded.items() if isinstance(entry, dict)}


def organization(name: str, city: str = "", country: str = "") -> Organization | None:
    """The organisation with its disambiguated id, or None when none is known."""
    known: dict[str, dict[str, str]] = {
        settings.PORTAL_INSTITUTION_NAME.casefold(): {
            "source": "RINGGOLD",
            "id": settings.PORTAL_INSTITUTION_RINGGOLD,
            "city": settings.PORTAL_INSTITUTION_CITY,
            "country": settings.PORTAL_INSTITUTION_COUNTRY,
        }
    }
    for source in (demo_organization_ids(), settings.ORCID_ORGANIZATION_IDS):
        for key, ids in source.items():
            known[str(key).casefold().strip()] = ids
    entry = known.get(name.casefold().strip())
    if not entry or not entry.get("id"):
        return None
    try:
        return Organization(
            name=name,
            city=city or entry.get("city", ""),
            country=(country or entry.get("country", "")).upper(),
            disambiguated_id=entry["id"],
            disambiguation_source=entry.get("source", "").upper(),
        )
    except SectionError:
        return None


def _prizes(person_ids: list[int]) -> Iterator[tuple[int, AffiliationEntry | Skipped]]:
    rows = (
        PrizeRecipient.objects.filter(person_id__in=person_ids, item__status=OwnedItemStatus.PUBLIC)
        .select_related("item")
        .order_by("person_id", "item_id")
    )
    for row in rows:
        prize = row.item
        key = f"prize:{prize.pk}"
        funder = organization(prize.organisation, prize.city, str(prize.country or ""))
        if funder is None:
            reason = f"no Ringgold, ROR or FundRef id known for {prize.organisation}"
            yield row.person_id, Skipped(key, reason)
            continue
        yield (
            row.person_id,
            AffiliationEntry(
                kind=ExportKind.DISTINCTION,
                key=key,
                source_id=f"scholarhub-prize-{prize.pk}",
                organization=funder,
                role_title=prize.title,
                period=Period(start=prize.awarded_on),
                url=portal_url(prize.get_absolute_url()),
            ),
        )


def _activities(person_ids: list[int]) -> Iterator[tuple[int, AffiliationEntry | Skipped]]:
    rows = (
        ActivityPerson.objects.filter(
            person_id__in=person_ids,
            item__status=OwnedItemStatus.PUBLIC,
            item__kind__in=list(ACTIVITY_SECTIONS),
        )
        .select_related("item")
        .order_by("person_id", "item_id")
    )
    for row in rows:
        activity = row.item
        key = f"activity:{activity.pk}"
        host = organization(activity.organisation, activity.city, str(activity.country or ""))
        if host is None:
            reason = f"no Ringgold, ROR or FundRef id known for {activity.organisation}"
            yield row.person_id, Skipped(key, reason)
            continue
        try:
            period = Period(start=activity.start_date, end=activity.end_date)
        except SectionError as error:
            yield row.person_id, Skipped(key, str(error))
            continue
        yield (
            row.person_id,
            AffiliationEntry(
                kind=ACTIVITY_SECTIONS[activity.kind],
                key=key,
                source_id=f"scholarhub-activity-{activity.pk}",
                organization=host,
                # "Associate editor" of "Journal of Librarianship": the role, and what it is in.
                role_title=row.role or activity.title,
                department_name=activity.title if row.role else "",
                period=period,
                url=portal_url(activity.get_absolute_url()),
            ),
        )


def funding_role(role: str) -> str:
    """ORCID's funding role for a participant's role as the portal keeps it (free text)."""
    text = role.casefold()
    if "co-" in text or "co " in text or "co-principal" in text:
        return "co-lead"
    if "principal" in text or text in ("pi", "lead", "project leader"):
        return "lead"
    return "other-contribution"


def _fundings(person_ids: list[int]) -> Iterator[tuple[int, FundingItem | Skipped]]:
    """The public projects each researcher takes part in that have a funder and a grant number
    (a project without them is the university's own work, not a funding), in two queries for
    any number of researchers; a project shared by several of them is mapped once."""
    funded = Project.objects.filter(Project.public_condition(), grant_number__gt="", funder__gt="")
    taking_part = list(
        ProjectPerson.objects.filter(person_id__in=person_ids, item__in=funded)
        .order_by("person_id", "item_id")
        .values_list("person_id", "item_id")
        .distinct()
    )
    if not taking_part:
        return
    projects = Project.objects.filter(
        pk__in={item_id for _, item_id in taking_part}
    ).prefetch_related(
        Prefetch(
            "people", ProjectPerson.objects.select_related("person").order_by("position", "id")
        )
    )
    entries = {project.pk: _funding(project) for project in projects}
    for person_id, item_id in taking_part:
        yield person_id, entries[item_id]


def _funding(project: Project) -> FundingItem | Skipped:
    key = f"project:{project.pk}"
    funder = organization(project.funder)
    if funder is None:
        return Skipped(key, f"no Ringgold, ROR or FundRef id known for {project.funder}")
    try:
        period = Period(start=project.start_date, end=project.end_date)
    except SectionError as error:
        return Skipped(key, str(error))
    return FundingItem(
        key=key,
        source_id=f"scholarhub-project-{project.pk}",
        title=project.title,
        organization=funder,
        grant_number=project.grant_number,
        period=period,
        url=portal_url(project.get_absolute_url()),
        short_description=project.description,
        contributors=tuple(
            FundingContributor(name=row.display_name, role=funding_role(row.role))
            for row in project.people.all()[:MAX_CONTRIBUTORS]
            if row.display_name.strip()
        ),
    )


def _section_entries(
    persons: list[Person],
) -> dict[int, list[AffiliationEntry | FundingItem | Skipped]]:
    """Each researcher's entries: fundings, then distinctions, then affiliations, each by the
    portal's number, read in a fixed number of queries whatever the number of researchers."""
    entries: dict[int, list[AffiliationEntry | FundingItem | Skipped]] = {
        person.pk: [] for person in persons
    }
    ids = list(entries)
    for source in (_fundings, _prizes, _activities):
        for person_id, entry in source(ids):
            entries[person_id].append(entry)
    return entries


def desired_section_items(person: Person) -> list[Desired]:
    """The fundings, distinctions and professional affiliations the record should hold."""
    return desired_section_items_many([person])[person.pk]


def desired_section_items_many(persons: list[Person]) -> dict[int, list[Desired]]:
    """desired_section_items for several researchers at once (the export builds the desired
    state of a batch of records together)."""
    items: dict[int, list[Desired]] = {}
    for person_id, entries in _section_entries(persons).items():
        items[person_id] = []
        for entry in entries:
            if isinstance(entry, Skipped):
                log.debug(
                    "ORCID export of %s leaves out %s: %s", person_id, entry.key, entry.reason
                )
                continue
            body: dict[str, Any] = entry.body()
            items[person_id].append(Desired(kind=entry.kind, key=entry.key, body=body))
    return items


def skipped(person: Person) -> list[Skipped]:
    """The person's items that stay off ORCID, with the reason (for the Library's pages)."""
    entries = _section_entries([person])[person.pk]
    return [entry for entry in entries if isinstance(entry, Skipped)]
