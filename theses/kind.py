"""Student theses as the portal shows them: menu item, search, person and unit sections."""

from __future__ import annotations

from portal.validated import ValidatedKind
from theses.forms import ThesisForm
from theses.models import Thesis

KIND = ValidatedKind(
    key="theses",
    label="Student Theses",
    singular="student thesis",
    plural="student theses",
    path="theses",
    model=Thesis,
    form=ThesisForm,
    people_label="Supervisors",
    external_people=False,
    search_fields=("title", "student_name"),
    unit_lookup="awarding_unit",
    select=("awarding_unit",),
)
