"""The Scopus panel of "Edit profile": what Scopus says about each Scopus Author ID."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from portal.choices import PersonIdentifierType
from portal.models import Person
from scopus_connector.models import CandidateState, ScopusCheck


def scopus_panel(request: HttpRequest, person: Person | None) -> str:
    if person is None:
        return ""
    identifiers = [
        item
        for item in person.identifiers.all()
        if item.id_type == PersonIdentifierType.SCOPUS_AUTHOR_ID
    ]
    if not identifiers:
        return ""
    checks = {
        check.identifier_id: check
        for check in ScopusCheck.objects.filter(identifier__in=identifiers)
    }
    return render_to_string(
        "scopus_connector/_panel.html",
        {
            "person": person,
            "rows": [(item, checks.get(item.pk)) for item in identifiers],
            "waiting": person.scopus_candidates.filter(state=CandidateState.NEW).count(),
        },
        request=request,
    )
