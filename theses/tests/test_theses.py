"""Student theses: supervisors are the portal's researchers; public only once awarded."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from portal.actions.workflow import do_validate
from portal.choices import WorkflowStatus
from portal.tests.fixtures import make_library_user, make_person, make_unit
from theses.kind import KIND
from theses.models import Thesis

pytestmark = pytest.mark.django_db
AWARDED = datetime.date(2025, 7, 1)
# Midnight of the award day in Hong Kong, the portal's time zone (TIME_ZONE), in UTC.
AWARD_DAY_STARTS = datetime.datetime(2025, 6, 30, 16, 0, tzinfo=datetime.UTC)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_data(**changes: str) -> dict[str, str]:
    return {
        "title": "Resource sharing among Hong Kong academic libraries",
        "student_name": "Lee Siu Ming",
        "degree": "phd",
        "award_date": "",
        "awarding_unit": "",
        "abstract": "",
        "people": "",
        "action": "submit",
        **changes,
    }


def test_a_thesis_is_public_only_once_awarded() -> None:
    unit = make_unit("Department of Information Systems")
    chris = make_person(unit=unit)
    assert chris.user is not None
    response = client_for(chris.user).post(
        reverse("theses:add"),
        form_data(people=f"{chris.slug}, Supervisor", awarding_unit=str(unit.pk)),
    )
    assert response.status_code == 302
    thesis = Thesis.objects.get()
    assert thesis.workflow_status == WorkflowStatus.FOR_VALIDATION
    do_validate(thesis, acting_user=make_library_user())
    # validated, not awarded: still not public
    assert not thesis.is_public
    assert client_for(None).get(thesis.get_absolute_url()).status_code == 404
    assert thesis not in KIND.public_items()
    # awarded in the future (a date typed ahead): not yet
    Thesis.objects.filter(pk=thesis.pk).update(award_date=AWARDED + datetime.timedelta(days=1))
    assert not KIND.public_items(now=AWARD_DAY_STARTS).filter(pk=thesis.pk).exists()
    # awarded that day: public, on the list, the supervisor's and the unit's pages (long ago
    # as the pages' clock goes)
    Thesis.objects.filter(pk=thesis.pk).update(award_date=AWARDED)
    assert KIND.public_items(now=AWARD_DAY_STARTS).filter(pk=thesis.pk).exists()
    page = client_for(None).get(thesis.get_absolute_url()).content.decode()
    assert "Lee Siu Ming" in page
    assert "PhD" in page
    assert thesis.title in client_for(None).get(reverse("theses:list")).content.decode()
    assert thesis.title in client_for(None).get(chris.get_absolute_url()).content.decode()
    assert thesis.title in client_for(None).get(unit.get_absolute_url()).content.decode()


def a_thesis(award_date: datetime.date | None, status: WorkflowStatus) -> Thesis:
    return Thesis.objects.create(
        title="Resource sharing among Hong Kong academic libraries",
        student_name="Lee Siu Ming",
        degree="phd",
        award_date=award_date,
        awarding_unit=make_unit(),
        owner=make_person(),
        workflow_status=status,
    )


def public_at(thesis: Thesis, now: datetime.datetime) -> bool:
    return Thesis.objects.filter(Thesis.public_condition(now), pk=thesis.pk).exists()


@pytest.mark.parametrize(
    ("now", "public"),
    [
        # The award date is a date in the portal's time zone (Hong Kong, UTC+8): the thesis
        # becomes public when that day begins there, 16:00 UTC the day before.
        (AWARD_DAY_STARTS - datetime.timedelta(days=1), False),
        (AWARD_DAY_STARTS - datetime.timedelta(microseconds=1), False),
        (AWARD_DAY_STARTS, True),
        (AWARD_DAY_STARTS + datetime.timedelta(hours=23, minutes=59), True),
        (AWARD_DAY_STARTS + datetime.timedelta(days=365), True),
    ],
)
def test_a_validated_thesis_turns_public_when_its_award_day_begins(
    now: datetime.datetime, public: bool
) -> None:
    # given
    thesis = a_thesis(AWARDED, WorkflowStatus.VALIDATED)
    # when / then
    assert public_at(thesis, now) is public
    assert KIND.public_items(now=now).filter(pk=thesis.pk).exists() is public


@pytest.mark.parametrize(
    ("award_date", "status"),
    [
        (None, WorkflowStatus.VALIDATED),
        (AWARDED, WorkflowStatus.FOR_VALIDATION),
        (AWARDED, WorkflowStatus.RETURNED),
        (AWARDED, WorkflowStatus.WITHDRAWN),
    ],
)
def test_an_awarded_thesis_needs_validation_and_a_validated_one_an_award_date(
    award_date: datetime.date | None, status: WorkflowStatus
) -> None:
    # given
    thesis = a_thesis(award_date, status)
    # when / then: long after the award, still not public
    assert not public_at(thesis, AWARD_DAY_STARTS + datetime.timedelta(days=3650))


def test_a_clock_in_another_time_zone_means_the_same_instant(settings: Any) -> None:
    # given: a thesis awarded on 1 July 2025, and the portal's time zone Hong Kong
    settings.TIME_ZONE = "Asia/Hong_Kong"
    thesis = a_thesis(AWARDED, WorkflowStatus.VALIDATED)
    # when: the clock reads New York time (still 30 June there)
    new_york = AWARD_DAY_STARTS.astimezone(datetime.timezone(datetime.timedelta(hours=-4)))
    assert new_york.date() == datetime.date(2025, 6, 30)
    # then: what counts is the day in Hong Kong
    assert public_at(thesis, new_york)
    assert not public_at(thesis, new_york - datetime.timedelta(seconds=1))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"people": "Jane DOE (Oxford), Supervisor"}, "people", "not a researcher's profile"),
        ({"degree": "diploma"}, "degree", "valid choice"),
        ({"award_date": "31/02/2024"}, "award_date", "valid date"),
        ({"awarding_unit": "0"}, "awarding_unit", "valid choice"),
        ({"student_name": ""}, "student_name", "required"),
        ({"student_name": "s" * 201}, "student_name", "at most 200"),
    ],
)
def test_bad_input_is_refused_and_everything_else_kept(
    changes: dict[str, str], field: str, message: str
) -> None:
    unit = make_unit()
    chris = make_person(unit=unit)
    assert chris.user is not None
    data = form_data(**{"people": chris.slug, "awarding_unit": str(unit.pk), **changes})
    response = client_for(chris.user).post(reverse("theses:add"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Thesis.objects.count() == 0
    if field != "student_name":
        assert "Lee Siu Ming" in response.content.decode()
