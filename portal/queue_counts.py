"""The validation queue's counts per unit: read from `ValidationQueueCount`, recounted from the
outputs to check them, and repaired.

Why a table kept by triggers (migration portal.0008) rather than by the actions: the
counts must be exact, since the queue's unit filter answers "nothing waits" from them without
reading the queue, and outputs enter and leave the queue by paths that are not workflow actions
(the demo and scale seeds COPY outputs already "For validation", tests and the admin save
models, a unit's deletion sets its outputs' managing unit to NULL, a merge withdraws the
duplicate). A trigger sees every one of them, in the writer's own transaction. A recount costs
an index-only scan of the waiting outputs (58.7 ms at 50,000 waiting, BENCHMARKS.md); a read of
the table costs one look-up per unit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from portal.choices import WorkflowStatus
from portal.models import OrgUnit, ResearchOutput, ValidationQueueCount
from portal.models.queue import NO_UNIT

NO_UNIT_LABEL = "No managing unit"


@dataclass(frozen=True)
class UnitCount:
    """One unit's counts: outputs it manages, and outputs it manages or lists."""

    managed: int
    in_unit: int


def counts_per_unit() -> list[tuple[str, int]]:
    """How many outputs wait per managing unit, largest first (names from the units): one query
    on the count table."""
    name = OrgUnit.objects.filter(pk=OuterRef("unit_key")).values("name")[:1]
    rows = (
        ValidationQueueCount.objects.filter(managed__gt=0)
        .annotate(name=Subquery(name))
        .values_list("unit_key", "name", "managed")
    )
    named = [
        (NO_UNIT_LABEL if key == NO_UNIT or unit_name is None else unit_name, managed)
        for key, unit_name, managed in rows
    ]
    return sorted(named, key=lambda item: (-item[1], item[0]))


def unit_count(unit_id: int) -> UnitCount:
    """A unit's waiting outputs: those it manages, and those it manages or lists (one look-up)."""
    found = (
        ValidationQueueCount.objects.filter(unit_key=unit_id)
        .values_list("managed", "in_unit")
        .first()
    )
    return UnitCount(*found) if found else UnitCount(0, 0)


def recount() -> dict[int, UnitCount]:
    """The counts as the outputs say they should be (units with none left out)."""
    waiting = ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
    managed: Counter[int] = Counter()
    in_unit: Counter[int] = Counter()
    for unit_id in waiting.order_by().values_list("managing_unit_id", flat=True).iterator():
        managed[unit_id or NO_UNIT] += 1
        if unit_id:
            in_unit[unit_id] += 1
    listings = ResearchOutput.units.through.objects.filter(
        researchoutput__workflow_status=WorkflowStatus.FOR_VALIDATION
    ).values_list("orgunit_id", "researchoutput__managing_unit_id")
    for unit_id, managing_id in listings.iterator():
        if unit_id != managing_id:
            in_unit[unit_id] += 1
    return {
        key: UnitCount(managed[key], in_unit[key])
        for key in set(managed) | set(in_unit)
        if managed[key] or in_unit[key]
    }


def stored() -> dict[int, UnitCount]:
    """The counts the table holds (rows at zero left out)."""
    return {
        key: UnitCount(managed, in_unit)
        for key, managed, in_unit in ValidationQueueCount.objects.values_list(
            "unit_key", "managed", "in_unit"
        )
        if managed or in_unit
    }


def differences() -> dict[int, tuple[UnitCount | None, UnitCount | None]]:
    """Units whose stored counts differ from a recount: unit key → (stored, recounted)."""
    held, expected = stored(), recount()
    return {
        key: (held.get(key), expected.get(key))
        for key in sorted(set(held) | set(expected))
        if held.get(key) != expected.get(key)
    }


@transaction.atomic
def repair() -> int:
    """Replace the stored counts with a recount; returns how many units were wrong.

    On PostgreSQL the table is locked first, so writers that change the queue meanwhile wait
    and apply their own change after the recount."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {ValidationQueueCount._meta.db_table} IN EXCLUSIVE MODE"  # noqa: S608 - model metadata
            )
    wrong = differences()
    if wrong:
        ValidationQueueCount.objects.all().delete()
        ValidationQueueCount.objects.bulk_create(
            ValidationQueueCount(unit_key=key, managed=count.managed, in_unit=count.in_unit)
            for key, count in recount().items()
        )
    return len(wrong)
