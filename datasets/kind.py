"""Datasets as the portal shows them: menu item, search, person and unit sections."""

from __future__ import annotations

from datasets.forms import DatasetForm
from datasets.models import Dataset
from portal.validated import ValidatedKind

KIND = ValidatedKind(
    key="datasets",
    label="Datasets",
    singular="dataset",
    plural="datasets",
    path="datasets",
    model=Dataset,
    form=DatasetForm,
    people_label="Creators",
    external_people=True,
    search_fields=("title", "publisher", "doi"),
)
