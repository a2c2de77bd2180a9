"""The Library console's links to the validation queues of the types built on the portal
(projects, datasets, student theses), each with how many items wait in it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from portal import content

register = template.Library()


@register.inclusion_tag("portal/validated/_queues.html")
def validation_queues() -> dict[str, Any]:
    """One link per registered type the Library validates, in menu order, with its count."""
    return {
        "queues": [
            (
                content_type.label,
                reverse(content_type.validation_url),
                content_type.validation_count(),
            )
            for content_type in content.registered()
            if content_type.validation_url is not None and content_type.validation_count is not None
        ]
    }
