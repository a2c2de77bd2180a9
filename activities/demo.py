"""Demo activities: about one for every two researchers, Chris WONG's keynote and his membership
of a professional body among them."""

from __future__ import annotations

import datetime
import random

from activities.choices import ActivityKind
from activities.kind import KIND
from portal.choices import OwnedItemStatus
from portal.owned_demo import (
    DRAFT_EVERY,
    DemoItem,
    chris_id,
    draw_people,
    import_items,
    person_ids,
    wipe_items,
)

# (kind, title pattern, roles, organisation pattern)
TEMPLATES = (
    (ActivityKind.TALK, "Invited talk: {topic}", ("Speaker", "Keynote speaker"), "{event}"),
    (
        ActivityKind.EDITORIAL,
        "Editorial board, {journal}",
        ("Editor", "Associate editor"),
        "{journal}",
    ),
    (ActivityKind.MEMBERSHIP, "Member, {society}", ("Member", "Committee member"), "{society}"),
    (
        ActivityKind.EXAMINATION,
        "External examiner, PhD thesis",
        ("External examiner",),
        "{university}",
    ),
    (ActivityKind.VISIT, "Visiting scholar", ("Visiting scholar",), "{university}"),
    (ActivityKind.HOSTING, "Hosting a visiting scholar", ("Host",), "{university}"),
    (ActivityKind.SERVICE, "Reviewer, {journal}", ("Peer reviewer",), "{journal}"),
    (ActivityKind.INVITED_POSITION, "Honorary professor", ("Honorary professor",), "{university}"),
)
TOPICS = (
    "resource sharing",
    "open access",
    "research data",
    "citation analysis",
    "digital humanities",
)
EVENTS = (
    ("HKALL Forum", "Hong Kong", "HK"),
    ("IFLA World Library and Information Congress", "Rotterdam", "NL"),
    ("ALA Annual Conference", "Chicago", "US"),
    ("Asia-Pacific Library Summit", "Singapore", "SG"),
)
JOURNALS = (
    "Interlending and Document Supply",
    "Journal of Academic Librarianship",
    "Scientometrics",
)
SOCIETIES = ("Hong Kong Library Association", "Association of College and Research Libraries")
UNIVERSITIES = (
    ("University of Hong Kong", "Hong Kong", "HK"),
    ("National University of Singapore", "Singapore", "SG"),
    ("University of Toronto", "Toronto", "CA"),
    ("University of Melbourne", "Melbourne", "AU"),
)


def count_for(persons: int, outputs: int) -> int:
    return max(5, persons // 2 + outputs // 1000)


def build_demo(persons: int, outputs: int, seed: int) -> int:
    """Invent and write the activities; returns how many."""
    rng = random.Random(seed + 13_001)
    ids = person_ids()
    if not ids:
        return 0
    items: list[DemoItem] = []
    chris = chris_id()
    if chris is not None:
        items.append(
            DemoItem(
                owner=chris,
                title="Keynote: User-initiated resource sharing in Hong Kong universities",
                values={
                    "kind": ActivityKind.TALK.value,
                    "start_date": datetime.date(2024, 3, 1),
                    "end_date": datetime.date(2024, 3, 1),
                    "organisation": "HKALL Forum",
                    "city": "Hong Kong",
                    "country": "HK",
                    "description": "How HKALL lets readers borrow from eight university libraries.",
                },
                people=[(chris, "Keynote speaker")],
            )
        )
        # A membership of long standing, still held (no end date); the association has an
        # organisation id among the demo's (portal.owned_demo), so it reaches his ORCID record
        # as a membership.
        items.append(
            DemoItem(
                owner=chris,
                title="Member, Hong Kong Library Association",
                values={
                    "kind": ActivityKind.MEMBERSHIP.value,
                    "start_date": datetime.date(2008, 1, 1),
                    "end_date": None,
                    "organisation": "Hong Kong Library Association",
                    "city": "Hong Kong",
                    "country": "HK",
                    "description": "The professional body of Hong Kong's librarians.",
                },
                people=[(chris, "Member")],
            )
        )
    for number in range(count_for(persons, outputs) - len(items)):
        kind, title, roles, organisation = rng.choice(TEMPLATES)
        event, city, country = rng.choice(EVENTS if kind == ActivityKind.TALK else UNIVERSITIES)
        names = {
            "topic": rng.choice(TOPICS),
            "journal": rng.choice(JOURNALS),
            "society": rng.choice(SOCIETIES),
            "event": event,
            "university": event,
        }
        start = datetime.date(
            2015 + rng.randrange(11), 1 + rng.randrange(12), 1 + rng.randrange(28)
        )
        long_running = kind in (
            ActivityKind.EDITORIAL,
            ActivityKind.MEMBERSHIP,
            ActivityKind.INVITED_POSITION,
        )
        end = start + datetime.timedelta(
            days=365 * (1 + rng.randrange(3)) if long_running else rng.randrange(5)
        )
        owner = rng.choice(ids)
        at_organisation = organisation.format(**names)
        items.append(
            DemoItem(
                owner=owner,
                title=title.format(**names),
                values={
                    "kind": kind.value,
                    "start_date": start,
                    "end_date": end,
                    "organisation": at_organisation,
                    "city": city if at_organisation == event else "",
                    "country": country if at_organisation == event else "",
                    "description": "",
                },
                people=draw_people(rng, ids, owner, roles, most=2),
                status=(
                    OwnedItemStatus.DRAFT
                    if number % DRAFT_EVERY == DRAFT_EVERY - 1
                    else OwnedItemStatus.PUBLIC
                ),
            )
        )
    return import_items(KIND, items)


def wipe_demo() -> None:
    wipe_items(KIND)
