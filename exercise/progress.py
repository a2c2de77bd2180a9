"""The figures of the Library's picture: completion per unit and over time.

The chart, the table beside it and the Excel workbook all read these, so they cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from exercise.choices import Part2State, Progress
from exercise.models import DailyProgress, ExerciseStatus
from portal.choices import PersonStatus
from portal.models import OrgUnit, Person


@dataclass
class UnitProgress:
    """How a unit's current researchers stand (a researcher in two units counts in both)."""

    unit: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Progress.values, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[Progress.PART2] + self.counts[Progress.NOT_APPLICABLE]

    @property
    def cells(self) -> list[int]:
        """The counts in the order of Progress, for tables and charts."""
        return [self.counts[value] for value in Progress.values]


def _progress(part1: bool | None, part2: str | None, problem: str | None) -> str:
    return ExerciseStatus(
        part1_complete=bool(part1),
        part2_state=part2 or Part2State.UNKNOWN,
        problem=problem or "",
    ).progress


def by_unit() -> list[UnitProgress]:
    """Every unit with current researchers, by name: one grouped query."""
    rows = (
        Person.objects.filter(status=PersonStatus.CURRENT)
        .values(
            "positions__org_unit_id",
            "exercise__part1_complete",
            "exercise__part2_state",
            "exercise__problem",
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    names = dict(OrgUnit.objects.values_list("pk", "name"))
    units: dict[int, UnitProgress] = {}
    for row in rows:
        unit_id = row["positions__org_unit_id"]
        if unit_id is None:
            continue
        progress = _progress(
            row["exercise__part1_complete"], row["exercise__part2_state"], row["exercise__problem"]
        )
        units.setdefault(unit_id, UnitProgress(names[unit_id])).counts[progress] += row["n"]
    return sorted(units.values(), key=lambda unit: unit.unit)


@dataclass(frozen=True)
class DayProgress:
    day: date
    counts: dict[str, int]

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(value, 0) for value in Progress.values]


def over_time(days: int = 120) -> list[DayProgress]:
    """The counts kept each day, oldest first, for the line of completion over time."""
    since = timezone.localdate() - timedelta(days=days)
    by_day: dict[date, dict[str, int]] = {}
    for row in DailyProgress.objects.filter(day__gte=since).order_by("day"):
        by_day.setdefault(row.day, {})[row.progress] = row.count
    return [DayProgress(day, counts) for day, counts in by_day.items()]


def chart_data(units: list[UnitProgress], days: list[DayProgress]) -> dict[str, object]:
    """What the page's script draws: exactly the figures of the table beside the chart."""
    return {
        "labels": list(Progress.labels),
        "units": {"names": [u.unit for u in units], "counts": [u.cells for u in units]},
        "days": {"dates": [d.day.isoformat() for d in days], "counts": [d.cells for d in days]},
    }
