"""What is particular to prizes: recipients without roles, the granting organisation, a date."""

from __future__ import annotations

import pytest

from portal.tests.fixtures import make_person
from prizes.forms import PrizeForm

pytestmark = pytest.mark.django_db


def form_data(**changes: str) -> dict[str, str]:
    return {
        "title": "Library Innovation Award",
        "organisation": "JULAC",
        "city": "Hong Kong",
        "country": "HK",
        "awarded_on": "2007-11-20",
        "description": "",
        "status": "public",
        **changes,
    }


def test_recipients_are_persons_without_roles() -> None:
    chris, mei = make_person(), make_person("Mei", "CHAN")
    form = PrizeForm(form_data(people=f"{chris.slug}\n{mei.slug}"), roles=False)
    assert form.is_valid(), form.errors
    assert [entry.role for entry in form.cleaned_data["people"]] == ["", ""]
    with_role = PrizeForm(form_data(people=f"{chris.slug}, Winner"), roles=False)
    assert not with_role.is_valid()
    assert "no role is recorded here" in with_role.errors["people"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"awarded_on": ""}, "awarded_on"),
        ({"awarded_on": "2007-13-01"}, "awarded_on"),
        ({"organisation": ""}, "organisation"),
        ({"country": "ZZ"}, "country"),
        ({"title": " "}, "title"),
    ],
)
def test_the_form_refuses_bad_fields(changes: dict[str, str], field: str) -> None:
    chris = make_person()
    form = PrizeForm(form_data(people=chris.slug, **changes), roles=False)
    assert not form.is_valid()
    assert field in form.errors
