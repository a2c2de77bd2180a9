"""The researcher backend and library console: login, Edit profile, Add ID, verify."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.actions import do_add_person_identifier
from portal.choices import IdentifierStatus
from portal.models import AuditEntry, PersonIdentifier
from portal.tests.fixtures import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def edit_url(person) -> str:
    return reverse("portal:edit-person", args=[person.slug])


def form_data(person, **changes) -> dict:
    data = {
        "known_as": person.known_as,
        "native_name": person.native_name,
        "phone": person.phone,
        "address": person.address,
        "profile_text": person.profile_text,
        "new_link_type": "",
        "new_link_url": "",
    }
    data.update(changes)
    return data


def test_login_with_eid_and_password(client, researcher):
    response = client.post(
        reverse("portal:login"), {"username": researcher.staff_id, "password": PASSWORD}
    )
    assert response.status_code == 302
    home = client.get(reverse("portal:backend-home")).content.decode()
    assert "Edit profile" in home


def test_login_refuses_wrong_password_with_a_message(client, researcher):
    response = client.post(
        reverse("portal:login"), {"username": researcher.staff_id, "password": "x"}
    )
    assert response.status_code == 200
    assert "correct" in response.content.decode().lower()


def test_login_is_throttled_after_repeated_failures(client, researcher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("portal:login"), {"username": researcher.staff_id, "password": "wrong"})
    # when: even the right password is refused while locked
    response = client.post(
        reverse("portal:login"), {"username": researcher.staff_id, "password": PASSWORD}
    )
    # then
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


def test_edit_requires_login(client, researcher):
    response = client.get(edit_url(researcher))
    assert response.status_code == 302
    assert "/backend/login/" in response["Location"]


def test_add_id_create_save_adds_scopus_author_id(client, researcher):
    # given
    client.force_login(researcher.user)
    page = client.get(edit_url(researcher)).content.decode()
    assert "Add ID" in page
    assert "Save" in page
    # when: "Add ID" opens the dialog, "Create" adds the ID to the list, "Save" keeps it
    dialog = client.post(edit_url(researcher), {**form_data(researcher), "action": "add_id"})
    assert "ID type" in dialog.content.decode()
    assert "Create" in dialog.content.decode()
    created = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "create_id",
            "new_id_type": "scopus_author_id",
            "new_id_value": " 98765432100 ",
        },
    )
    created_html = created.content.decode()
    assert "New (not saved yet)" in created_html
    assert not PersonIdentifier.objects.exists()
    saved = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            "pending_id": "scopus_author_id|98765432100",
        },
    )
    # then
    assert saved.status_code == 302
    assert PersonIdentifier.objects.get(person=researcher).value == "98765432100"
    profile = client.get(researcher.get_absolute_url()).content.decode()
    assert "Scopus Author ID" in profile
    assert "98765432100" in profile


def test_create_with_wrong_check_digit_keeps_everything_typed(client, researcher):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher, phone="+852 5555 0000", address="Room 42"),
            "action": "create_id",
            "new_id_type": "orcid",
            "new_id_value": "0000-0000-0000-0000",
            "pending_id": "isni|0000000121032683",
        },
    )
    html = response.content.decode()
    assert "ORCID iD check digit should be 1, not 0" in html
    assert 'value="+852 5555 0000"' in html
    assert 'value="Room 42"' in html
    assert 'value="0000-0000-0000-0000"' in html
    assert 'value="isni|0000000121032683"' in html
    assert not PersonIdentifier.objects.exists()


@pytest.mark.parametrize(
    ("id_type", "value", "message"),
    [
        ("scopus_author_id", "123", "Scopus Author ID must be 10 or 11 digits"),
        ("researcher_id", "12-34", "ResearcherID must be one to three letters"),
        ("isni", "0000 0001 2103 2684", "ISNI check digit should be 3, not 4"),
        ("orcid", "x" * 400, "Ensure this value has at most 300 characters"),
        ("orcid", "<b>0000</b>", "ORCID iD must be 16 characters"),
        ("wikidata", "Q42", "Select a valid choice"),
        ("orcid", "", "This field is required"),
    ],
)
def test_create_refuses_bad_values_inline(client, researcher, id_type, value, message):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher, phone="kept"),
            "action": "create_id",
            "new_id_type": id_type,
            "new_id_value": value,
        },
    )
    html = response.content.decode()
    assert message in html
    assert 'value="kept"' in html
    assert "<b>0000</b>" not in html


def test_save_with_an_uncreated_typed_id_keeps_it_or_reports_it(client, researcher):
    client.force_login(researcher.user)
    bad = client.post(
        edit_url(researcher),
        {
            **form_data(researcher, phone="+852 1"),
            "action": "save",
            "new_id_type": "orcid",
            "new_id_value": "0000-0002-1825-0098",
        },
    )
    assert "ORCID iD check digit should be 7, not 8" in bad.content.decode()
    researcher.refresh_from_db()
    assert researcher.phone == ""  # nothing saved while something is wrong
    good = client.post(
        edit_url(researcher),
        {
            **form_data(researcher, phone="+852 1"),
            "action": "save",
            "new_id_type": "orcid",
            "new_id_value": "0000-0002-1825-0097",
        },
    )
    assert good.status_code == 302
    researcher.refresh_from_db()
    assert researcher.phone == "+852 1"
    assert researcher.identifiers.get().value == "0000-0002-1825-0097"


def test_tampered_pending_ids_are_rechecked_on_save(client, researcher):
    other = make_person("Mary", "CHAN")
    do_add_person_identifier(other, "scopus_author_id", "98765432100", acting_user=None)
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            "pending_id": ["scopus_author_id|98765432100", "bogus|1", "orcid|not-an-orcid"],
        },
    )
    assert response.status_code == 200
    assert not researcher.identifiers.exists()
    assert "already on another researcher" in response.content.decode()


def test_remove_identifier_and_link(client, researcher):
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    link = researcher.links.create(link_type="github", url="https://github.com/x")
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            "remove_identifier": [str(identifier.pk), "999999", "abc"],
            "remove_link": str(link.pk),
        },
    )
    assert response.status_code == 302
    assert not researcher.identifiers.exists()
    assert not researcher.links.exists()


def test_add_link_requires_a_valid_address(client, researcher):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            "new_link_type": "google_scholar",
            "new_link_url": "javascript:alert(1)",
        },
    )
    assert "Enter a valid URL" in response.content.decode()
    ok = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            "new_link_type": "google_scholar",
            "new_link_url": "scholar.google.com/citations?user=x",
        },
    )
    assert ok.status_code == 302
    assert researcher.links.get().url == "https://scholar.google.com/citations?user=x"


def test_researcher_cannot_open_or_post_to_another_profile(client, researcher):
    other = make_person("Mary", "CHAN")
    client.force_login(researcher.user)
    assert client.get(edit_url(other)).status_code == 403
    response = client.post(edit_url(other), {**form_data(other, phone="hacked"), "action": "save"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.phone == ""


def test_forms_require_csrf(researcher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher.user)
    response = client.post(edit_url(researcher), {**form_data(researcher), "action": "save"})
    assert response.status_code == 403


def test_library_edits_anyone_verifies_and_reads_history(client, researcher, library_user):
    identifier = do_add_person_identifier(
        researcher, "scopus_author_id", "98765432100", acting_user=researcher.user
    )
    client.force_login(library_user)
    assert client.get(edit_url(researcher)).status_code == 200
    console = client.get(reverse("portal:library-console"), {"q": "wong"}).content.decode()
    assert "Chris WONG - demo" in console
    status_url = reverse("portal:identifier-status", args=[researcher.slug, identifier.pk])
    client.post(status_url, {"status": "verified", "evidence": "Matches Scopus profile"})
    identifier.refresh_from_db()
    assert identifier.status == IdentifierStatus.VERIFIED
    history = client.get(reverse("portal:person-history", args=[researcher.slug])).content.decode()
    assert library_user.username in history
    assert "Matches Scopus profile" in history
    bad = client.post(status_url, {"status": "authenticated"})
    assert bad.status_code == 302
    identifier.refresh_from_db()
    assert identifier.status == IdentifierStatus.VERIFIED


def test_researchers_cannot_use_the_library_console(client, researcher):
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    client.force_login(researcher.user)
    assert client.get(reverse("portal:library-console")).status_code == 403
    status_url = reverse("portal:identifier-status", args=[researcher.slug, identifier.pk])
    assert client.post(status_url, {"status": "verified"}).status_code == 403
    assert AuditEntry.objects.filter(target_type="portal.personidentifier").count() == 1


def test_logout_is_post_only(client, researcher):
    client.force_login(researcher.user)
    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.post(reverse("portal:logout")).status_code == 302
