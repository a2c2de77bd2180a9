"""The researcher backend and library console: login, Edit profile, Add ID, verify."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.actions import do_add_person_identifier, do_record_authenticated_orcid
from portal.choices import IdentifierStatus
from portal.models import AuditEntry, Person, PersonIdentifier
from portal.tests.fixtures import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def edit_url(person) -> str:
    return reverse("portal:edit-person", args=[person.slug])


def pending(*entries: str) -> dict[str, str]:
    """The pending-IDs formset as the page posts it, from "type|value" entries."""
    data = {"pending-TOTAL_FORMS": str(len(entries)), "pending-INITIAL_FORMS": str(len(entries))}
    for index, entry in enumerate(entries):
        id_type, _, value = entry.partition("|")
        data[f"pending-{index}-id_type"] = id_type
        data[f"pending-{index}-value"] = value
    return data


def pending_field(name: str, index: int, value: str) -> str:
    """The hidden input that carries one pending ID's type or value."""
    return f'name="pending-{index}-{name}" value="{value}"'


def form_data(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        **pending(),
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
            **pending("scopus_author_id|98765432100"),
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
            **pending("isni|0000000121032683"),
        },
    )
    html = response.content.decode()
    assert "ORCID iD check digit should be 1, not 0" in html
    assert 'value="+852 5555 0000"' in html
    assert 'value="Room 42"' in html
    assert 'value="0000-0000-0000-0000"' in html
    assert pending_field("value", 0, "0000000121032683") in html
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
            **pending("scopus_author_id|98765432100", "bogus|1", "orcid|not-an-orcid"),
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
            "remove_identifier": str(identifier.pk),
            "remove_link": str(link.pk),
        },
    )
    assert response.status_code == 302
    assert not researcher.identifiers.exists()
    assert not researcher.links.exists()


@pytest.mark.parametrize("field", ["remove_identifier", "remove_link"])
@pytest.mark.parametrize(
    "hostile",
    [
        "²",
        "¹",
        "9" * 5000,
        "99999999999999999999999",
        "999999",
        "abc",
        "-1",
        "1.0",
        " 1",
        "",
        "\x00",
    ],
)
def test_hostile_removal_values_are_a_form_error_not_a_500(client, researcher, field, hostile):
    # given: an ID and a link the researcher really has, and a phone number typed
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    link = researcher.links.create(link_type="github", url="https://github.com/x")
    client.force_login(researcher.user)
    # when: a real row ticked beside a value no page offers
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher, phone="+852 1"),
            "action": "save",
            "remove_identifier": str(identifier.pk),
            "remove_link": str(link.pk),
            field: [str(identifier.pk if field == "remove_identifier" else link.pk), hostile],
        },
    )
    # then: the page says what is wrong, keeps what was typed, and saves nothing
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not on this profile" in html
    assert 'value="+852 1"' in html
    assert researcher.identifiers.exists()
    assert researcher.links.exists()
    researcher.refresh_from_db()
    assert researcher.phone == ""


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


def test_too_long_profile_field_is_refused_inline_and_nothing_typed_is_lost(client, researcher):
    # given: a researcher who typed a phone number, created an ID, and pasted a huge name
    client.force_login(researcher.user)
    # when
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher, known_as="x" * 300, phone="+852 3442 1111"),
            "action": "save",
            **pending("scopus_author_id|98765432100"),
            "new_link_type": "github",
            "new_link_url": "https://github.com/chris",
        },
    )
    # then: the error sits next to the field and everything else is still in the form
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 255 characters (it has 300)." in html
    assert 'value="+852 3442 1111"' in html
    assert pending_field("value", 0, "98765432100") in html
    assert 'value="https://github.com/chris"' in html
    assert '<option value="github" selected>' in html
    researcher.refresh_from_db()
    assert researcher.phone == ""
    assert not researcher.identifiers.exists()
    assert not researcher.links.exists()
    assert not AuditEntry.objects.exists()


def test_markup_typed_into_the_profile_is_stored_as_text_and_shown_escaped(client, researcher):
    # given
    client.force_login(researcher.user)
    hostile = '<img src=x onerror="alert(1)"></script>'
    # when
    response = client.post(
        edit_url(researcher), {**form_data(researcher, known_as=hostile), "action": "save"}
    )
    # then
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.known_as == hostile
    profile = client.get(researcher.get_absolute_url()).content.decode()
    assert "<img src=x" not in profile
    assert "&lt;img src=x" in profile


def test_save_writes_the_audit_log_with_who_before_and_after(client, researcher):
    client.force_login(researcher.user)
    client.post(
        edit_url(researcher),
        {
            **form_data(researcher, phone="+852 3442 0000"),
            "action": "save",
            **pending("scopus_author_id|98765432100"),
            "new_link_type": "google_scholar",
            "new_link_url": "https://scholar.google.com/citations?user=abc",
        },
    )
    entries = {entry.target_type: entry for entry in AuditEntry.objects.filter(person=researcher)}
    assert set(entries) == {"portal.person", "portal.personidentifier", "portal.personlink"}
    assert entries["portal.person"].before == {"phone": ""}
    assert entries["portal.person"].after == {"phone": "+852 3442 0000"}
    assert entries["portal.personidentifier"].after["value"] == "98765432100"
    assert all(entry.actor == researcher.user for entry in entries.values())


def test_unchanged_save_writes_no_audit_rows(client, researcher):
    client.force_login(researcher.user)
    response = client.post(edit_url(researcher), {**form_data(researcher), "action": "save"})
    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "action",
    ["drop_pending:9", "drop_pending:-1", "drop_pending:x", "drop_pending:", "explode", ""],
)
def test_odd_actions_rerender_without_losing_or_saving_anything(client, researcher, action):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher, phone="typed"),
            "action": action,
            **pending("isni|0000000121032683", "scopus_author_id|98765432100"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="typed"' in html
    assert html.count("New (not saved yet)") == 2
    assert not researcher.identifiers.exists()


def test_drop_pending_removes_only_that_id(client, researcher):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "drop_pending:0",
            **pending("isni|0000000121032683", "scopus_author_id|98765432100"),
        },
    )
    html = response.content.decode()
    assert "0000000121032683" not in html
    assert pending_field("value", 0, "98765432100") in html


def test_hostile_pending_values_are_refused_escaped_and_capped(client, researcher):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            **pending(
                "orcid|<script>alert(1)</script>",
                *[f"scopus_author_id|{10_000_000_000 + n}" for n in range(80)],
            ),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ORCID iD must be 16 characters" in html
    assert "<script>alert(1)</script>" not in html
    assert html.count("New (not saved yet)") == 50
    assert not researcher.identifiers.exists()


def test_researcher_cannot_remove_or_change_what_is_not_theirs(client, researcher):
    # given: another researcher's identifier, and HR fields a researcher may not edit
    other = make_person("Mary", "CHAN")
    theirs = do_add_person_identifier(other, "isni", "0000000121032683", acting_user=None)
    client.force_login(researcher.user)
    # when: forged fields on the researcher's own form
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            "email": "attacker@example.com",
            "family_name": "HACKED",
        },
    )
    forged_removal = client.post(
        edit_url(researcher),
        {**form_data(researcher), "action": "save", "remove_identifier": str(theirs.pk)},
    )
    # then: the form saved what it offers and ignored the rest; the forged removal is refused
    assert response.status_code == 302
    assert forged_removal.status_code == 200
    assert "is not on this profile" in forged_removal.content.decode()
    assert PersonIdentifier.objects.filter(pk=theirs.pk).exists()
    researcher.refresh_from_db()
    assert researcher.family_name == "WONG"
    assert researcher.email != "attacker@example.com"


def test_library_changes_hr_fields_and_the_log_names_the_librarian(
    client, researcher, library_user
):
    client.force_login(library_user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "given_names": "Chris",
            "family_name": "WONG",
            "email": "chris.wong@cityu.edu.hk",
            "action": "save",
        },
    )
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.email == "chris.wong@cityu.edu.hk"
    entry = AuditEntry.objects.get(person=researcher)
    assert entry.actor == library_user
    assert entry.after == {"email": "chris.wong@cityu.edu.hk"}


def test_library_status_change_checks_the_profile_in_the_address(client, researcher, library_user):
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    other = make_person("Mary", "CHAN")
    client.force_login(library_user)
    forged = reverse("portal:identifier-status", args=[other.slug, identifier.pk])
    assert client.post(forged, {"status": "rejected"}).status_code == 404
    real = reverse("portal:identifier-status", args=[researcher.slug, identifier.pk])
    assert client.get(real).status_code == 405
    identifier.refresh_from_db()
    assert identifier.status == IdentifierStatus.ENTERED


def test_library_reject_with_too_long_evidence_changes_nothing(client, researcher, library_user):
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    client.force_login(library_user)
    url = reverse("portal:identifier-status", args=[researcher.slug, identifier.pk])
    response = client.post(url, {"status": "rejected", "evidence": "e" * 2001}, follow=True)
    assert "evidence is at most 2,000 characters" in response.content.decode()
    identifier.refresh_from_db()
    assert identifier.status == IdentifierStatus.ENTERED


@pytest.mark.parametrize("name", ["identifier-status", "logout", "login"])
def test_every_other_form_requires_csrf(researcher, library_user, name):
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    client = Client(enforce_csrf_checks=True)
    if name != "login":
        client.force_login(library_user)
    url = {
        "identifier-status": reverse(
            "portal:identifier-status", args=[researcher.slug, identifier.pk]
        ),
        "logout": reverse("portal:logout"),
        "login": reverse("portal:login"),
    }[name]
    response = client.post(url, {"status": "verified", "username": "x", "password": "y"})
    assert response.status_code == 403
    identifier.refresh_from_db()
    assert identifier.status == IdentifierStatus.ENTERED


def test_login_ignores_an_offsite_next_address(client, researcher):
    response = client.post(
        reverse("portal:login") + "?next=https://evil.example/",
        {"username": researcher.staff_id, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(
    ("username", "password"), [("", ""), ("u" * 51, "x"), ("chris\x00", "x"), ("' OR 1=1 --", "x")]
)
def test_login_refuses_malformed_credentials_cleanly(client, researcher, username, password):
    response = client.post(reverse("portal:login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_the_whole_address(client, researcher, settings):
    # given: one account locked by repeated failures
    other = make_person("Mary", "CHAN")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("portal:login"), {"username": researcher.staff_id, "password": "bad"})
    # when: a colleague logs in from the same address
    response = client.post(
        reverse("portal:login"), {"username": other.staff_id, "password": PASSWORD}
    )
    # then
    assert response.status_code == 302


def test_account_without_a_profile_is_told_so(client):
    from django.contrib.auth.models import User

    user = User.objects.create_user("noprofile", password=PASSWORD)
    client.force_login(user)
    response = client.get(reverse("portal:edit-own-profile"), follow=True)
    assert response.status_code == 200
    assert "no researcher profile" in response.content.decode()


def test_edit_page_of_unknown_person_is_404(client, library_user):
    client.force_login(library_user)
    assert client.get("/backend/persons/nobody/edit/").status_code == 404


@pytest.mark.parametrize("page", ["99999", "abc", "-5"])
def test_library_console_pages_survive_bad_page_numbers(client, library_user, researcher, page):
    client.force_login(library_user)
    response = client.get(reverse("portal:library-console"), {"q": "%", "page": page})
    assert response.status_code == 200


def test_login_page_carries_the_portal_name_not_the_host(client, settings):
    settings.PORTAL_SITE_NAME = "CityU Scholars"
    html = client.get(reverse("portal:login")).content.decode()
    assert "<h1>CityU Scholars researcher profile backend</h1>" in html
    assert "testserver" not in html


def test_locked_out_page_carries_the_portal_name(client, researcher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            reverse("portal:login"), {"username": researcher.staff_id, "password": "bad"}
        )
    html = response.content.decode()
    assert response.status_code == 429
    assert "CityU Scholars" in html
    assert "testserver" not in html


@pytest.mark.parametrize(
    "management",
    [
        {},
        {"pending-TOTAL_FORMS": "²", "pending-INITIAL_FORMS": "0"},
        {"pending-TOTAL_FORMS": "9" * 5000, "pending-INITIAL_FORMS": "0"},
    ],
)
def test_a_broken_pending_list_is_a_form_error_on_save(client, researcher, management):
    # given: the pending IDs' bookkeeping fields missing or forged
    client.force_login(researcher.user)
    data = {**form_data(researcher, phone="+852 2"), "action": "save"}
    del data["pending-TOTAL_FORMS"], data["pending-INITIAL_FORMS"]
    # when
    response = client.post(edit_url(researcher), {**data, **management})
    # then: nothing saved, the page says so and keeps what was typed
    html = response.content.decode()
    assert response.status_code == 200
    assert "did not come back complete" in html
    assert 'value="+852 2"' in html
    researcher.refresh_from_db()
    assert researcher.phone == ""


@pytest.mark.parametrize("index", ["²", "¹", "٣", "9" * 5000, "0x1", " 1"])
def test_drop_pending_with_a_forged_index_drops_nothing(client, researcher, index):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": f"drop_pending:{index}",
            **pending("isni|0000000121032683", "scopus_author_id|98765432100"),
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count("New (not saved yet)") == 2


def test_a_forged_pending_type_is_shown_escaped_with_its_error(client, researcher):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {**form_data(researcher), "action": "save", **pending("<b>bogus</b>|1")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;bogus&lt;/b&gt;" in html
    assert "<b>bogus</b>" not in html
    assert "Select a valid choice" in html
    assert not researcher.identifiers.exists()


def test_save_refuses_two_pending_orcids_and_a_repeated_id(client, researcher):
    client.force_login(researcher.user)
    response = client.post(
        edit_url(researcher),
        {
            **form_data(researcher),
            "action": "save",
            **pending(
                "orcid|0000-0002-1825-0097",
                "orcid|0000-0001-5109-3700",
                "isni|0000000121032683",
                "isni|0000 0001 2103 2683",
            ),
        },
    )
    html = response.content.decode()
    assert "A profile holds one ORCID iD." in html
    assert "You have already added this ID" in html
    assert not researcher.identifiers.exists()


def test_squatted_orcid_gives_way_to_the_real_owners_sign_in(
    client, researcher, library_user, django_capture_on_commit_callbacks, mailoutbox
):
    # given: Winnie removes her typed iD on "Edit profile"; Irene then types Winnie's iD
    winnie, irene = make_person("Winnie", "HO"), researcher
    orcid = "0000-0002-1825-0097"
    typed = do_add_person_identifier(winnie, "orcid", orcid, acting_user=winnie.user)
    client.force_login(winnie.user)
    removed = client.post(
        edit_url(winnie), {**form_data(winnie), "action": "save", "remove_identifier": typed.pk}
    )
    assert removed.status_code == 302
    client.force_login(irene.user)
    squat = client.post(
        edit_url(irene),
        {**form_data(irene), "action": "save", "new_id_type": "orcid", "new_id_value": orcid},
    )
    assert squat.status_code == 302
    assert orcid in client.get(irene.get_absolute_url()).content.decode()
    # when: Winnie's real ORCID sign-in succeeds
    with django_capture_on_commit_callbacks(execute=True):
        do_record_authenticated_orcid(winnie, orcid, acting_user=winnie.user)
    # then: Irene's public page and JSON-LD no longer claim it; Winnie's do
    irene_page = client.get(irene.get_absolute_url()).content.decode()
    winnie_page = client.get(winnie.get_absolute_url()).content.decode()
    assert orcid not in irene_page
    assert orcid in winnie_page
    assert orcid in winnie_page.split("application/ld+json")[1]
    # and Irene cannot type it again: it is proven now
    again = client.post(
        edit_url(irene),
        {**form_data(irene), "action": "save", "new_id_type": "orcid", "new_id_value": orcid},
    )
    assert "belongs to another researcher (authenticated by ORCID sign-in)" in (
        again.content.decode()
    )
    # and the Library sees a notice in its console and got an e-mail
    client.force_login(library_user)
    console = client.get(reverse("portal:library-console")).content.decode()
    assert "Typed IDs removed by proof" in console
    assert f"ORCID iD: {orcid}" in console
    assert irene.display_name in console
    assert len(mailoutbox) == 1


# --- Sign-in throttling: per account across addresses, per address across accounts ---------


def sign_in(client, username: str, password: str, address: str, forwarded: str = ""):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("portal:login"), {"username": username, "password": password}, **extra
    )


def test_an_account_is_locked_after_failures_from_many_addresses(client, researcher, settings):
    # given: wrong passwords for one account, each from a different address
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, researcher.staff_id, "wrong", f"198.51.100.{n + 1}")
    # when: the right password from yet another address
    response = sign_in(client, researcher.staff_id, PASSWORD, "203.0.113.50")
    # then
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


def test_an_address_is_locked_after_failures_across_many_accounts(client, researcher, settings):
    # given: one address tries one wrong password on each of many accounts (fewer per account
    # than the account limit, so no single account is locked)
    settings.AXES_FAILURE_LIMIT_PER_ADDRESS = 8
    answers = [
        sign_in(client, f"someone{n}", "guess", "203.0.113.9").status_code
        for n in range(settings.AXES_FAILURE_LIMIT_PER_ADDRESS)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT_PER_ADDRESS - 1) + [429]
    # when: that address tries a real account, even with its right password
    locked = sign_in(client, researcher.staff_id, PASSWORD, "203.0.113.9")
    # then: refused; the same account from its owner's address is not
    assert locked.status_code == 429
    assert sign_in(Client(), researcher.staff_id, PASSWORD, "198.51.100.7").status_code == 302


def test_signing_in_to_ones_own_account_does_not_reset_the_address_count(
    client, researcher, settings
):
    # given: an attacker with an account of their own, failing on others from one address
    settings.AXES_FAILURE_LIMIT_PER_ADDRESS = 6
    attacker = make_person("Ada", "TANG")
    for n in range(4):
        sign_in(client, f"victim{n}", "guess", "203.0.113.9")
    # when: they sign in to their own account, then go on guessing
    assert sign_in(client, attacker.staff_id, PASSWORD, "203.0.113.9").status_code == 302
    client.post(reverse("portal:logout"))
    for n in range(4, 6):
        sign_in(client, f"victim{n}", "guess", "203.0.113.9")
    # then: the address is locked all the same
    assert sign_in(client, researcher.staff_id, PASSWORD, "203.0.113.9").status_code == 429


def test_behind_a_proxy_each_client_is_counted_by_its_own_address(client, researcher, settings):
    # given: every request comes from the proxy (10.0.0.1), which appends the client's address
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT_PER_ADDRESS = 6
    proxy = "10.0.0.1"
    # when: an attacker fails across accounts, forging a victim's address in front of theirs
    for n in range(6):
        sign_in(client, f"victim{n}", "guess", proxy, forwarded="198.51.100.7, 203.0.113.9")
    # then: the attacker's real address is locked, and the victim (same proxy) is not
    attacker = sign_in(Client(), researcher.staff_id, PASSWORD, proxy, forwarded="203.0.113.9")
    victim = sign_in(Client(), researcher.staff_id, PASSWORD, proxy, forwarded="198.51.100.7")
    assert attacker.status_code == 429
    assert victim.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy trusted: the header is the client's word
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "1.1.1.1, 198.51.100.7", "198.51.100.7"),
        (2, "1.1.1.1, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1"),  # fewer hops than proxies: only the peer is sure
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "," * 5000, "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "²", "10.0.0.1"),
    ],
)
def test_client_address_reads_only_what_trusted_proxies_wrote(
    rf, settings, proxies, forwarded, expected
):
    from portal.signin import client_address

    settings.AXES_IPWARE_PROXY_COUNT = proxies
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# --- "Forgot your password?" ------------------------------------------------------------------


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/backend/password-reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_login_page_offers_a_password_reset(client):
    html = client.get(reverse("portal:login")).content.decode()
    assert "Forgot your password?" in html
    assert reverse("portal:password-reset") in html


def test_password_reset_by_profile_email_changes_the_password_once(
    client, researcher, mailoutbox, settings
):
    # given: an account without an address of its own; the profile has one
    settings.PORTAL_BASE_URL = "https://scholars.example.org"
    researcher.email = "chris.wong@example.org"
    researcher.save(update_fields=["email"])
    # when: asking for a link, then following it and choosing a new password
    asked = client.post(reverse("portal:password-reset"), {"email": "Chris.Wong@example.org"})
    assert asked.status_code == 302
    assert asked["Location"] == reverse("portal:password-reset-done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["Chris.Wong@example.org"]
    assert "https://scholars.example.org/backend/password-reset/" in mailoutbox[0].body
    link = reset_link(mailoutbox[0])
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    changed = client.post(
        set_url,
        {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    # then: the new password works, the old does not, and the link is spent
    assert changed.status_code == 302
    assert changed["Location"] == reverse("portal:password-reset-complete")
    fresh = Client()
    old = fresh.post(
        reverse("portal:login"), {"username": researcher.staff_id, "password": PASSWORD}
    )
    assert old.status_code == 200
    new = fresh.post(
        reverse("portal:login"),
        {"username": researcher.staff_id, "password": "a new long passphrase"},
    )
    assert new.status_code == 302
    again = Client().get(link, follow=True).content.decode()
    assert "This link cannot be used" in again
    assert "new_password1" not in again


def test_password_reset_answers_the_same_for_an_unknown_address(client, researcher, mailoutbox):
    # given
    researcher.email = "chris.wong@example.org"
    researcher.save(update_fields=["email"])
    # when
    known = client.post(
        reverse("portal:password-reset"), {"email": "chris.wong@example.org"}, follow=True
    )
    unknown = client.post(
        reverse("portal:password-reset"), {"email": "nobody@example.org"}, follow=True
    )
    # then: the same page, one mail (for the known address) only
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert len(mailoutbox) == 1


def test_password_reset_ignores_inactive_accounts_and_unusable_passwords(
    client, researcher, mailoutbox
):
    researcher.email = "chris.wong@example.org"
    researcher.save(update_fields=["email"])
    researcher.user.set_unusable_password()
    researcher.user.save()
    client.post(reverse("portal:password-reset"), {"email": "chris.wong@example.org"})
    assert mailoutbox == []


@pytest.mark.parametrize(
    "email",
    [
        "x" * 300 + "@example.org",
        "chris\x00@example.org",
        "' OR 1=1 --",
        "²@example.org",
        "chris@example.org\nBcc: everyone@example.org",
        "",
    ],
)
def test_password_reset_refuses_malformed_addresses_cleanly(client, researcher, mailoutbox, email):
    response = client.post(reverse("portal:password-reset"), {"email": email})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "field-error" in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [("²", "x"), ("9" * 5000, "abc-def"), ("AAAA", "set-password"), ("MQ", "1-" + "f" * 5000)],
)
def test_forged_reset_links_are_refused_not_500(client, researcher, uidb64, token):
    response = client.get(f"/backend/password-reset/{uidb64}/{token}/", follow=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "This link cannot be used" in response.content.decode()


def test_a_password_reset_lifts_the_lockout_of_the_account(
    client, researcher, mailoutbox, settings
):
    # given: someone locked the account by guessing
    researcher.email = "chris.wong@example.org"
    researcher.save(update_fields=["email"])
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, researcher.staff_id, "guess", f"203.0.113.{n + 1}")
    assert sign_in(client, researcher.staff_id, PASSWORD, "198.51.100.7").status_code == 429
    # when: the owner resets the password from the mail
    client.post(reverse("portal:password-reset"), {"email": "chris.wong@example.org"})
    page = client.get(reset_link(mailoutbox[0]), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    # then
    response = sign_in(Client(), researcher.staff_id, "a new long passphrase", "198.51.100.7")
    assert response.status_code == 302
