"""The backend and search forms: every field's malformed, hostile and boundary input."""

from __future__ import annotations

import pytest

from portal.actions import do_add_person_identifier
from portal.forms import (
    MAX_PENDING_IDENTIFIERS,
    MAX_PROFILE_TEXT,
    IdentifierStatusForm,
    NewIdentifierForm,
    NewLinkForm,
    OutputSearchForm,
    PendingIdentifierFormSet,
    PersonSearchForm,
    ProfileForm,
    RemovalForm,
    StaffLoginForm,
)
from portal.tests.fixtures import make_person

pytestmark = pytest.mark.django_db


def id_form(person, id_type: str, value: str, pending=None) -> NewIdentifierForm:
    return NewIdentifierForm(
        {"new_id_type": id_type, "new_id_value": value}, person=person, pending=pending or []
    )


@pytest.mark.parametrize(
    ("id_type", "raw", "stored"),
    [
        ("orcid", "https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("orcid", " 0000000218250097 ", "0000-0002-1825-0097"),
        ("scopus_author_id", "98765432100", "98765432100"),
        ("scopus_author_id", "1234567890", "1234567890"),
        ("researcher_id", "A-1234-2008", "A-1234-2008"),
        ("isni", "0000 0001 2103 2683", "0000000121032683"),
    ],
)
def test_new_identifier_form_accepts_and_normalises_every_scheme(researcher, id_type, raw, stored):
    # given
    form = id_form(researcher, id_type, raw)
    # when / then
    assert form.is_valid(), form.errors
    assert form.cleaned_data["new_id_value"] == stored


@pytest.mark.parametrize(
    ("id_type", "raw", "message"),
    [
        ("orcid", "0000-0000-0000-0000", "ORCID iD check digit should be 1, not 0"),
        ("orcid", "0000-0002-1825-009", "ORCID iD must be 16 characters"),
        ("orcid", "０000-0002-1825-0097", "ORCID iD must be written with the digits 0-9"),
        ("orcid", "<script>alert(1)</script>", "ORCID iD must be 16 characters"),
        ("scopus_author_id", "123456789", "Scopus Author ID must be 10 or 11 digits"),
        ("scopus_author_id", "123456789012", "Scopus Author ID must be 10 or 11 digits"),
        ("scopus_author_id", "abcdefghij", "Scopus Author ID must contain only digits"),
        ("researcher_id", "AAAA-1234-2010", "ResearcherID must be one to three letters"),
        ("researcher_id", "A-1234-20", "ResearcherID must be one to three letters"),
        ("isni", "0000 0001 2103 2684", "ISNI check digit should be 3, not 4"),
        ("isni", "000000012103268", "ISNI must be 16 characters"),
        ("orcid", "1" * 301, "Ensure this value has at most 300 characters"),
        ("orcid", "   ", "This field is required"),
        ("orcid", "0000\x00-0002-1825-0097", "Null characters are not allowed"),
    ],
)
def test_new_identifier_form_refuses_bad_values_with_the_reason(researcher, id_type, raw, message):
    # given
    form = id_form(researcher, id_type, raw)
    # when
    valid = form.is_valid()
    # then: the message sits on the value field, where the researcher is looking
    assert not valid
    assert any(message in error for error in form.errors["new_id_value"])


@pytest.mark.parametrize("id_type", ["wikidata", "", "ORCID", "orcid ", "<b>orcid</b>"])
def test_new_identifier_form_refuses_unknown_id_types(researcher, id_type):
    form = id_form(researcher, id_type, "0000-0002-1825-0097")
    assert not form.is_valid()
    assert "new_id_type" in form.errors


def test_new_identifier_form_refuses_an_id_on_another_profile(researcher):
    # given
    other = make_person("Mary", "CHAN")
    do_add_person_identifier(other, "scopus_author_id", "98765432100", acting_user=None)
    # when
    form = id_form(researcher, "scopus_author_id", "98765432100")
    # then
    assert not form.is_valid()
    assert "already on another researcher's profile" in form.errors["new_id_value"][0]


def test_new_identifier_form_refuses_an_id_already_on_this_profile(researcher):
    do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    form = id_form(researcher, "isni", "0000 0001 2103 2683")
    assert not form.is_valid()
    assert "already on this profile" in form.errors["new_id_value"][0]


def test_new_identifier_form_refuses_a_duplicate_pending_id_in_another_form(researcher):
    # given: the same ID created a moment ago, typed differently
    pending = [("orcid", "0000-0002-1825-0097")]
    # when
    form = id_form(researcher, "orcid", "https://orcid.org/0000-0002-1825-0097", pending)
    # then
    assert not form.is_valid()
    assert "already added this ID" in form.errors["new_id_value"][0]


def test_new_identifier_form_refuses_a_second_pending_orcid(researcher):
    form = id_form(researcher, "orcid", "0000-0000-0000-0001", [("orcid", "0000-0002-1825-0097")])
    assert not form.is_valid()
    assert "one ORCID iD" in form.errors["new_id_value"][0]


def test_new_identifier_form_caps_the_pending_list(researcher):
    pending = [
        ("scopus_author_id", f"{10_000_000_000 + n}") for n in range(MAX_PENDING_IDENTIFIERS)
    ]
    form = id_form(researcher, "scopus_author_id", "98765432100", pending)
    assert not form.is_valid()
    assert "Save the IDs you have added" in form.errors["new_id_value"][0]


def profile_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "known_as": "Chris WONG - demo",
        "native_name": "王大明",
        "phone": "+852 34420000",
        "address": "LIB-P000",
        "profile_text": "",
        "given_names": "Chris",
        "family_name": "WONG",
        "email": "chriswong@cityu.edu.hk",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("known_as", "x" * 256),
        ("native_name", "王" * 256),
        ("phone", "9" * 51),
        ("address", "a" * 256),
        ("profile_text", "p" * (MAX_PROFILE_TEXT + 1)),
        ("known_as", "bad\x00name"),
    ],
)
def test_profile_form_refuses_too_long_or_null_values_and_marks_the_field(field, value):
    # given
    form = ProfileForm(profile_data(**{field: value}))
    # when
    valid = form.is_valid()
    # then: refused, the field marked for assistive technology, the typed value kept for re-display
    assert not valid
    assert list(form.errors) == [field]
    widget_attrs = form.fields[field].widget.attrs
    assert widget_attrs["aria-invalid"] == "true"
    assert widget_attrs["aria-describedby"] == f"id_{field}-error"
    assert form[field].value() == value


def test_profile_form_accepts_boundary_lengths_and_markup_as_text():
    form = ProfileForm(
        profile_data(
            known_as="<script>alert(1)</script>" + "x" * 230,
            phone="9" * 50,
            profile_text="p" * MAX_PROFILE_TEXT,
        )
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["known_as"].startswith("<script>")


def test_profile_form_offers_hr_fields_to_the_library_only():
    researcher_form = ProfileForm(profile_data())
    library_form = ProfileForm(profile_data(email="not-an-email"), library=True)
    assert "email" not in researcher_form.fields
    assert "family_name" not in researcher_form.fields
    assert not library_form.is_valid()
    assert "email" in library_form.errors


def test_profile_form_requires_the_official_names_from_the_library():
    form = ProfileForm(profile_data(family_name="  "), library=True)
    assert not form.is_valid()
    assert "family_name" in form.errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"new_link_type": "google_scholar", "new_link_url": "javascript:alert(1)"},
            "new_link_url",
        ),
        ({"new_link_type": "google_scholar", "new_link_url": "data:text/html,x"}, "new_link_url"),
        (
            {"new_link_type": "google_scholar", "new_link_url": "https://x" + "y" * 500},
            "new_link_url",
        ),
        ({"new_link_type": "", "new_link_url": "https://scholar.google.com/"}, "new_link_type"),
        ({"new_link_type": "google_scholar", "new_link_url": ""}, "new_link_url"),
        ({"new_link_type": "myspace", "new_link_url": "https://x.org"}, "new_link_type"),
    ],
)
def test_new_link_form_refuses_bad_links(data, field):
    form = NewLinkForm(data)
    assert not form.is_valid()
    assert field in form.errors
    assert form.fields[field].widget.attrs["aria-invalid"] == "true"


def test_new_link_form_accepts_nothing_or_a_whole_link():
    assert NewLinkForm({"new_link_type": "", "new_link_url": ""}).is_valid()
    form = NewLinkForm({"new_link_type": "github", "new_link_url": "github.com/chriswong"})
    assert form.is_valid()
    assert form.cleaned_data["new_link_url"] == "https://github.com/chriswong"


@pytest.mark.parametrize(
    "data",
    [
        {"status": "authenticated", "evidence": ""},
        {"status": "", "evidence": ""},
        {"status": "verified", "evidence": "e" * 2001},
    ],
)
def test_identifier_status_form_refuses_bad_input(data):
    assert not IdentifierStatusForm(data).is_valid()


def test_identifier_status_form_accepts_a_verdict_with_evidence():
    form = IdentifierStatusForm({"status": "rejected", "evidence": "Profile is someone else's"})
    assert form.is_valid()


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"q": "x" * 200}, True),
        ({"q": "x" * 201}, False),
        ({"q": "%_'\""}, True),
        ({"unit": "not a slug!"}, False),
        ({"unit": "run-run-shaw-library"}, True),
    ],
)
def test_person_search_form_bounds(data, valid):
    assert PersonSearchForm(data).is_valid() is valid


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"year": "2006"}, True),
        ({"year": "999"}, False),
        ({"year": "3000"}, False),
        ({"year": "20o6"}, False),
        ({"year": "1e3"}, False),
        ({"type": "journal-article"}, True),
        ({"type": "t" * 31}, False),
    ],
)
def test_output_search_form_bounds(data, valid):
    assert OutputSearchForm(data).is_valid() is valid


def test_login_form_labels_the_staff_id_as_eid_and_caps_its_length():
    form = StaffLoginForm(data={"username": "u" * 51, "password": "x"})
    assert form.fields["username"].label == "EID"
    assert not form.is_valid()
    assert "username" in form.errors


def pending_data(*entries: tuple[str, str]) -> dict[str, str]:
    data = {"pending-TOTAL_FORMS": str(len(entries)), "pending-INITIAL_FORMS": "0"}
    for index, (id_type, value) in enumerate(entries):
        data[f"pending-{index}-id_type"] = id_type
        data[f"pending-{index}-value"] = value
    return data


def test_pending_formset_normalises_and_rechecks_every_row(researcher):
    # given: one good row typed loosely, one taken by someone else, one forged type
    other = make_person("Mary", "CHAN")
    do_add_person_identifier(other, "scopus_author_id", "98765432100", acting_user=None)
    data = pending_data(
        ("isni", "0000 0001 2103 2683"), ("scopus_author_id", "98765432100"), ("bogus", "1")
    )
    # when
    formset = PendingIdentifierFormSet(data, person=researcher)
    # then
    assert not formset.is_valid()
    assert formset.forms[0].cleaned_data["value"] == "0000000121032683"
    assert "already on another researcher" in formset.forms[1].non_field_errors()[0]
    assert "id_type" in formset.forms[2].errors
    assert formset.entries()[0] == ("isni", "0000000121032683")


def test_pending_formset_caps_what_it_reads():
    person = make_person("Irene", "LEE")
    entries = [("scopus_author_id", f"{10_000_000_000 + n}") for n in range(500)]
    formset = PendingIdentifierFormSet(pending_data(*entries), person=person)
    assert not formset.is_valid()
    assert len(formset.forms) == 50
    assert "Save the IDs you have added" in formset.non_form_errors()[0]


@pytest.mark.parametrize("hostile", ["²", "¹", "9" * 5000, "1e3", "-1", "abc", "", "\x00"])
def test_removal_form_refuses_anything_but_the_profiles_own_rows(researcher, hostile):
    # given
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    # when
    form = RemovalForm({"remove_identifier": [str(identifier.pk), hostile]}, person=researcher)
    # then: a form error, with no echo of what was posted
    assert not form.is_valid()
    assert "is not on this profile" in form.errors["remove_identifier"][0]
    assert hostile not in form.errors["remove_identifier"][0] or not hostile


def test_removal_form_returns_the_ticked_rows(researcher):
    identifier = do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    link = researcher.links.create(link_type="github", url="https://github.com/x")
    form = RemovalForm(
        {"remove_identifier": [str(identifier.pk)], "remove_link": [str(link.pk)]},
        person=researcher,
    )
    assert form.is_valid()
    assert form.chosen("remove_identifier") == {identifier.pk}
    assert form.chosen("remove_link") == {link.pk}
