"""Template tags of the research output pages that other pages include (the Library console)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from portal.models import ResearchOutput
from portal.output_queries import LISTED_AUTHORS, queue_counts_per_unit

register = template.Library()


@register.inclusion_tag("portal/library/validation_counts.html")
def validation_summary() -> dict[str, Any]:
    """The "For validation" counts per unit, linked to the queue."""
    return {"counts": queue_counts_per_unit()}


@register.filter
def author_line(output: ResearchOutput) -> str:
    """The first LISTED_AUTHORS names of a list row ("…; et al." when there are more), from
    the `listed_authors` the list's query read (portal.output_queries)."""
    authors = output.listed_authors  # type: ignore[attr-defined]
    line = "; ".join(author.name_as_printed for author in authors[:LISTED_AUTHORS])
    return f"{line}; et al." if len(authors) > LISTED_AUTHORS else line


@register.filter
def days_waiting(since: datetime, today: date) -> str:
    """Whole days from a submission to today, in the portal's time zone ("today", "1 day")."""
    days = (today - timezone.localdate(since)).days
    if days <= 0:
        return "today"
    return f"{days} day{'' if days == 1 else 's'}"
