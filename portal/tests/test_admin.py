"""The admin shows the portal's data but never writes it (writes go through the actions)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from portal.actions import do_add_person_identifier
from portal.models import AuditEntry, Person
from portal.tests.fixtures import make_output

pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls_portal")]

MODELS = ["person", "orgunit", "personidentifier", "researchoutput", "auditentry"]


@pytest.fixture
def admin_client(client: Client, researcher: Person) -> Client:
    do_add_person_identifier(researcher, "scopus_author_id", "98765432100", acting_user=None)
    make_output(researcher, title="HKALL", doi="10.1108/02641610610669750")
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_searches_every_model(admin_client, model):
    url = reverse(f"admin:portal_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "wong%_'"}).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_admin_cannot_add(admin_client, model):
    assert admin_client.get(reverse(f"admin:portal_{model}_add")).status_code == 403


def test_admin_person_page_is_read_only(admin_client, researcher):
    # given
    url = reverse("admin:portal_person_change", args=[researcher.pk])
    # when
    page = admin_client.get(url)
    posted = admin_client.post(url, {"known_as": "Changed in the admin"})
    # then
    assert page.status_code == 200
    assert "98765432100" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    assert Person.objects.get(pk=researcher.pk).known_as == "Chris WONG - demo"
    assert (
        admin_client.post(
            reverse("admin:portal_person_delete", args=[researcher.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(target_type="portal.person").count() == 0
