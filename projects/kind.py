"""Projects as the portal shows them: menu item, search, person and unit sections."""

from __future__ import annotations

from portal.validated import ValidatedKind
from projects.forms import ProjectForm
from projects.models import Project

KIND = ValidatedKind(
    key="projects",
    label="Projects",
    singular="project",
    plural="projects",
    path="projects",
    model=Project,
    form=ProjectForm,
    people_label="Participants",
    external_people=True,
    search_fields=("title", "acronym", "funder", "grant_number"),
    unit_lookup="units",
)
