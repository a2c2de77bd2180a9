"""Student theses: supervisors are the portal's researchers; public only once awarded."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.actions.workflow import do_validate
from portal.choices import WorkflowStatus
from portal.tests.fixtures import make_library_user, make_person, make_unit
from theses.kind import KIND
from theses.models import Thesis

pytestmark = pytest.mark.django_db


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
    today = timezone.localdate()
    Thesis.objects.filter(pk=thesis.pk).update(award_date=today + datetime.timedelta(days=1))
    assert not KIND.public_items().filter(pk=thesis.pk).exists()
    # awarded today: public, on the list, the supervisor's and the unit's pages
    Thesis.objects.filter(pk=thesis.pk).update(award_date=today)
    assert KIND.public_items().filter(pk=thesis.pk).exists()
    page = client_for(None).get(thesis.get_absolute_url()).content.decode()
    assert "Lee Siu Ming" in page
    assert "PhD" in page
    assert thesis.title in client_for(None).get(reverse("theses:list")).content.decode()
    assert thesis.title in client_for(None).get(chris.get_absolute_url()).content.decode()
    assert thesis.title in client_for(None).get(unit.get_absolute_url()).content.decode()


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
