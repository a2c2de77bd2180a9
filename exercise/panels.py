"""The exercise panel of the researcher backend's home page (listed in PORTAL_PANELS)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from exercise.models import ExerciseStatus
from portal.models import Person
from portal.permissions import is_library_staff


def exercise_panel(request: HttpRequest, person: Person | None) -> str:
    status = ExerciseStatus.objects.filter(person=person).first() if person else None
    return render_to_string(
        "exercise/_panel.html",
        {"person": person, "status": status, "library": is_library_staff(request.user)},
        request=request,
    )


def guide_panel(request: HttpRequest, person: Person | None) -> str:
    """The portal home's pointer to the exercise's user guide."""
    return render_to_string("exercise/_guide_panel.html", request=request)
