"""Template tags of the research output pages that other pages include (the Library console)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.output_queries import queue_counts_per_unit

register = template.Library()


@register.inclusion_tag("portal/library/validation_counts.html")
def validation_summary() -> dict[str, Any]:
    """The "For validation" counts per unit, linked to the queue."""
    return {"counts": queue_counts_per_unit()}
