"""What is particular to activities: the kinds, the period, the event's place."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from activities.choices import ActivityKind
from activities.forms import ActivityForm
from activities.models import Activity
from portal.actions.owned import PersonEntry, do_create_owned_item, do_update_owned_item
from portal.tests.fixtures import make_person

pytestmark = pytest.mark.django_db


def form_data(**changes: str) -> dict[str, str]:
    return {
        "title": "Keynote",
        "kind": "talk",
        "start_date": "2024-03-01",
        "end_date": "2024-03-02",
        "organisation": "HKALL Forum",
        "city": "Hong Kong",
        "country": "HK",
        "description": "",
        "status": "public",
        "people": "",
        **changes,
    }


def test_the_kinds_include_what_orcids_sections_need() -> None:
    assert {"membership", "service", "invited_position"} <= set(ActivityKind.values)
    assert {"talk", "editorial", "examination", "visit", "hosting"} <= set(ActivityKind.values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"start_date": "2024-02-30"}, "start_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": ""}, "start_date"),
        ({"end_date": "2024-02-01"}, "end_date"),
        ({"country": "XX"}, "country"),
        ({"country": "Hong Kong"}, "country"),
        ({"organisation": ""}, "organisation"),
        ({"organisation": "o" * 301}, "organisation"),
        ({"city": "c" * 101}, "city"),
        ({"description": "d" * 5001}, "description"),
    ],
)
def test_the_form_refuses_bad_fields(changes: dict[str, str], field: str) -> None:
    chris = make_person()
    form = ActivityForm(form_data(people=chris.slug, **changes))
    assert not form.is_valid()
    assert field in form.errors


def test_the_form_accepts_a_valid_activity_and_an_open_end() -> None:
    chris = make_person()
    form = ActivityForm(form_data(people=f"{chris.slug}, Keynote speaker", end_date=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["people"] == [PersonEntry(chris, "Keynote speaker")]
    assert form.item_fields()["end_date"] is None


def test_the_action_refuses_an_end_before_the_start() -> None:
    # given: a caller that bypasses the form (a command, a job)
    chris = make_person()
    fields = {
        "title": "Visit",
        "kind": "visit",
        "start_date": datetime.date(2024, 3, 1),
        "end_date": datetime.date(2024, 2, 1),
        "organisation": "University of Toronto",
    }
    # when / then
    with pytest.raises(ValidationError):
        do_create_owned_item(Activity, chris, fields, [PersonEntry(chris)], acting_user=None)
    assert not Activity.objects.exists()


def test_the_detail_page_shows_kind_period_and_place(client: Client) -> None:
    chris = make_person()
    item = do_create_owned_item(
        Activity,
        chris,
        {
            "title": "Editorial board",
            "kind": "editorial",
            "start_date": datetime.date(2020, 1, 1),
            "organisation": "Scientometrics",
            "city": "Budapest",
            "country": "HU",
            "status": "public",
        },
        [PersonEntry(chris, "Associate editor")],
        acting_user=None,
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Editorial work" in page
    assert "1 January 2020 onwards" in page
    assert "Scientometrics, Budapest, Hungary" in page
    assert "Associate editor" in page


def test_a_role_change_alone_is_a_change() -> None:
    chris = make_person()
    item = do_create_owned_item(
        Activity,
        chris,
        {
            "title": "Talk",
            "kind": "talk",
            "start_date": datetime.date(2024, 1, 1),
            "organisation": "HKALL Forum",
        },
        [PersonEntry(chris, "Speaker")],
        acting_user=None,
    )
    changed = do_update_owned_item(
        item, {}, [PersonEntry(chris, "Keynote speaker")], acting_user=None
    )
    assert changed == ["people"]
