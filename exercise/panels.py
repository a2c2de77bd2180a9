"""The exercise's panels on portal pages (listed in PORTAL_PANELS)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string

from exercise.choices import SuggestionState
from exercise.models import ExerciseStatus, ScopusIdSuggestion
from portal.models import Person
from portal.permissions import is_library_staff


def exercise_panel(request: HttpRequest, person: Person | None) -> str:
    """The researcher's "Personal overview": both parts as steps, and what to do next."""
    status = ExerciseStatus.objects.filter(person=person).first() if person else None
    suggestions = (
        list(ScopusIdSuggestion.objects.filter(person=person, state=SuggestionState.OPEN))
        if person and not (status and status.scopus_author_id)
        else []
    )
    return render_to_string(
        "exercise/_panel.html",
        {
            "person": person,
            "status": status,
            "suggestions": suggestions,
            "library": is_library_staff(request.user),
            "site_name": settings.PORTAL_SITE_NAME,
            "scopus_web_url": settings.SCOPUS_WEB_URL.rstrip("/"),
        },
        request=request,
    )


def guide_panel(request: HttpRequest, person: Person | None) -> str:
    """The portal home's pointer to the exercise's user guide."""
    return render_to_string("exercise/_guide_panel.html", request=request)
