"""Every page's accessibility basics: language, skip link, one h1, labelled controls, unique ids."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from portal.actions import do_add_person_identifier
from portal.models import Person, ResearchOutput
from portal.tests.accessibility import assert_accessible, facts_of
from portal.tests.fixtures import make_output

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(researcher: Person) -> tuple[Person, ResearchOutput]:
    """A profile with identifiers, a link and an output: every page has something to show."""
    do_add_person_identifier(researcher, "orcid", "0000-0000-0000-0001", acting_user=None)
    do_add_person_identifier(researcher, "scopus_author_id", "98765432100", acting_user=None)
    researcher.links.create(link_type="google_scholar", url="https://scholar.google.com/x")
    output = make_output(researcher, title="HKALL", doi="10.1108/02641610610669750")
    return researcher, output


def public_urls(person, output) -> list[str]:
    unit = person.positions.first().org_unit
    return [
        reverse("portal:home"),
        reverse("portal:person-list"),
        reverse("portal:person-list") + "?q=nobody",
        person.get_absolute_url(),
        reverse("portal:unit-list"),
        unit.get_absolute_url(),
        reverse("portal:output-list"),
        reverse("portal:output-list") + "?year=abc",
        output.get_absolute_url(),
        reverse("portal:login"),
    ]


def test_public_pages_meet_the_basics(client, site):
    person, output = site
    for url in public_urls(person, output):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_accessible(response.content.decode())


def test_backend_pages_meet_the_basics(client, site, library_user):
    # given: a researcher's own pages, including the edit page with the Add ID dialog and errors
    person, _ = site
    client.force_login(person.user)
    edit = reverse("portal:edit-person", args=[person.slug])
    pages = [client.get(reverse("portal:backend-home")), client.get(edit)]
    pages.append(
        client.post(
            edit,
            {
                "action": "create_id",
                "known_as": "x" * 300,
                "new_id_type": "orcid",
                "new_id_value": "0000-0000-0000-0000",
                "new_link_type": "",
                "new_link_url": "javascript:alert(1)",
            },
        )
    )
    # and the library's pages
    client.force_login(library_user)
    pages += [
        client.get(reverse("portal:library-console"), {"q": "wong"}),
        client.get(edit),
        client.get(reverse("portal:person-history", args=[person.slug])),
    ]
    # then
    for response in pages:
        assert response.status_code == 200
        assert_accessible(response.content.decode())
    # the checks really looked at the edit form's controls (fields, remove boxes, dialog)
    assert len(facts_of(pages[2].content.decode()).controls) >= 10


def test_field_errors_are_linked_to_their_fields(client, researcher):
    client.force_login(researcher.user)
    html = client.post(
        reverse("portal:edit-person", args=[researcher.slug]),
        {
            "action": "save",
            "phone": "9" * 60,
            "new_link_type": "github",
            "new_link_url": "not a url",
        },
    ).content.decode()
    for field_id in ("id_phone", "id_new_link_url"):
        assert f'aria-describedby="{field_id}-error"' in html
        assert f'id="{field_id}-error"' in html


def test_stylesheet_keeps_focus_visible_and_is_served_locally(client, site):
    # given
    person, _ = site
    html = client.get(person.get_absolute_url()).content.decode()
    # when
    assets = re.findall(r'<(?:link|script|img)[^>]*\s(?:href|src)="([^"]+)"', html)
    # then: every stylesheet, script and image comes from this server, none from a CDN
    assert assets
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets), assets
    css_path = finders.find("portal/portal.css")
    assert css_path
    with open(css_path, encoding="utf-8") as css:
        assert ":focus-visible" in css.read()
