"""The researcher edits their personal data on the record page; visibility applies to the page
and the API alike; hostile form input is refused without losing anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as TestClient

from orcid_sandbox.models import Account, Employment, OtherId, ResearcherUrl, Work
from orcid_sandbox.tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

FORM = {
    "given_names": "Chris",
    "family_name": "WONG",
    "credit_name": "Chris WONG - demo",
    "names_visibility": "public",
    "other_names": "Wong, C.\nWong Tai Ming",
    "country": "hk",
    "keywords": "resource sharing\ninterlending",
    "biography": "Librarian at the Run Run Shaw Library.",
    "websites": "CityU Scholars https://scholars.cityu.edu.hk/en/persons/chris\nhttps://example.org",
}


@pytest.fixture
def owner(client: TestClient, account: Account) -> TestClient:
    client.post("/signin", {"username": account.email, "password": PASSWORD})
    return client


def test_owner_edits_personal_data_and_it_shows(owner, account, portal_client):
    # given: a link a client added, which the owner's edit must keep
    ResearcherUrl.objects.create(
        account=account, source_client=portal_client, name="Portal", url="https://portal.test/"
    )
    # when
    response = owner.post("/my-orcid/personal-data", FORM)
    # then
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.country == "HK"
    assert account.other_name_list() == ["Wong, C.", "Wong Tai Ming"]
    assert sorted(account.researcher_urls.values_list("url", flat=True)) == [
        "https://example.org",
        "https://portal.test/",
        "https://scholars.cityu.edu.hk/en/persons/chris",
    ]
    page = owner.get(f"/{account.orcid}?view=public").content.decode()
    for text in ("Wong Tai Ming", "interlending", "HK", "CityU Scholars", "Librarian at the"):
        assert text in page
    # editing again replaces the owner's own links only
    owner.post("/my-orcid/personal-data", {**FORM, "websites": ""})
    assert list(account.researcher_urls.values_list("url", flat=True)) == ["https://portal.test/"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_names": ""}, "given_names"),
        ({"given_names": "x" * 151}, "given_names"),
        ({"country": "1!"}, "country"),
        ({"country": "ÄÖ"}, "country"),
        ({"names_visibility": "everyone-please"}, "names_visibility"),
        ({"keywords": "k\n" * 60}, "keywords"),
        ({"keywords": "k" * 101}, "keywords"),
        ({"websites": "javascript:alert(1)"}, "websites"),
        ({"websites": "Home ftp://example.org"}, "websites"),
        ({"websites": "not a url at all"}, "websites"),
        ({"other_names": "<script>alert(1)</script>" * 20}, "other_names"),
    ],
)
def test_personal_data_refuses_bad_input_and_keeps_the_rest(owner, account, changes, field):
    # when
    response = owner.post("/my-orcid/personal-data", {**FORM, **changes})
    # then: the form comes back with the error and what was typed, nothing is saved
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["form"]["biography"].value() == FORM["biography"]
    account.refresh_from_db()
    assert account.country == ""
    assert account.biography == ""


def test_personal_data_needs_sign_in(client, account):
    response = client.post("/my-orcid/personal-data", FORM)
    assert response.status_code == 302
    assert response["Location"].startswith("/signin")
    account.refresh_from_db()
    assert account.biography == ""


def test_private_names_hide_personal_data_on_page_and_api(owner, client, account):
    # given
    owner.post("/my-orcid/personal-data", {**FORM, "names_visibility": "private"})
    # when: someone else looks
    owner.post("/signout")
    page = client.get(f"/{account.orcid}").content.decode()
    person = client.get(f"/pub/v3.0/{account.orcid}/person", HTTP_ACCEPT="application/json").json()
    # then
    assert "Wong Tai Ming" not in page
    assert "Chris WONG - demo" not in page
    assert person["name"] is None
    assert person["other-names"]["other-name"] == []


def test_print_and_public_views_leave_out_private_items(owner, account, portal_client):
    # given: the owner's private work and employment
    Work.objects.create(
        account=account,
        source_client=portal_client,
        title="A private draft",
        work_type="other",
        external_ids=[],
        visibility="private",
    )
    Employment.objects.create(
        account=account,
        source_client=portal_client,
        organization_name="Secret Employer",
        city="Kowloon",
        country="HK",
        visibility="private",
    )
    # then: the owner sees them on the record, not in the public or print views
    assert "A private draft" in owner.get(f"/{account.orcid}").content.decode()
    assert "Secret Employer" in owner.get(f"/{account.orcid}").content.decode()
    for query in ("?view=public", "?print=1"):
        page = owner.get(f"/{account.orcid}{query}").content.decode()
        assert "A private draft" not in page
        assert "Secret Employer" not in page


@pytest.mark.parametrize("kind", ["external-identifiers", "researcher-urls", "employments"])
def test_owner_sets_visibility_of_person_items_and_the_api_honours_it(
    owner, client, account, scopus_client, kind
):
    # given: an item of each kind a client wrote
    common = {"account": account, "source_client": scopus_client}
    item: OtherId | ResearcherUrl | Employment
    if kind == "external-identifiers":
        item = OtherId.objects.create(
            id_type="Scopus Author ID", value="98765432100", url="https://s.test/9", **common
        )
    elif kind == "researcher-urls":
        item = ResearcherUrl.objects.create(name="Scopus", url="https://s.test/9", **common)
    else:
        item = Employment.objects.create(
            organization_name="CityU", city="Kowloon", country="HK", **common
        )
    listing = {
        "external-identifiers": "external-identifier",
        "researcher-urls": "researcher-url",
        "employments": "affiliation-group",
    }[kind]

    def public_items() -> list[dict[str, Any]]:
        url = f"/pub/v3.0/{account.orcid}/{kind}"
        answer = client.get(url, HTTP_ACCEPT="application/json").json()
        items: list[dict[str, Any]] = answer[listing]
        return items

    assert len(public_items()) == 1
    # when: the owner keeps it to themselves
    response = owner.post(
        f"/{account.orcid}/{kind}/{item.pk}/visibility", {"visibility": "private"}
    )
    # then
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.visibility == "private"
    assert public_items() == []


def test_item_visibility_refusals(owner, account, portal_client):
    work = Work.objects.create(
        account=account, source_client=portal_client, title="T", work_type="other", external_ids=[]
    )
    assert (
        owner.post(f"/{account.orcid}/works/{work.pk}/visibility", {"visibility": "x"}).status_code
        == 400
    )
    assert (
        owner.post(
            f"/{account.orcid}/nonsense/{work.pk}/visibility", {"visibility": "private"}
        ).status_code
        == 404
    )
    assert (
        owner.post(
            f"/{account.orcid}/employments/{work.pk}/visibility", {"visibility": "private"}
        ).status_code
        == 404
    )
    work.refresh_from_db()
    assert work.visibility == "public"


def test_owner_deletes_a_work_and_its_source_then_gets_404(client, owner, account, portal_client):
    # given: a work the portal pushed
    from orcid_sandbox.tests.fixtures import make_token

    work = Work.objects.create(
        account=account,
        source_client=portal_client,
        title="Pushed by the portal",
        work_type="other",
        external_ids=[],
    )
    token = make_token(account, portal_client, "/activities/update /read-limited")
    # when: Chris deletes it on the record page
    response = owner.post(f"/{account.orcid}/works/{work.pk}/delete")
    # then: gone, and the portal's next read of its put-code is 404 / 9016
    assert response.status_code == 302
    assert not Work.objects.exists()
    read = client.get(
        f"/api/v3.0/{account.orcid}/work/{work.pk}",
        HTTP_AUTHORIZATION=f"Bearer {token.access_token}",
        HTTP_ACCEPT="application/json",
    )
    assert read.status_code == 404
    assert read.json()["error-code"] == 9016


def test_only_the_owner_deletes(client, account, portal_client):
    work = Work.objects.create(
        account=account, source_client=portal_client, title="T", work_type="other", external_ids=[]
    )
    anonymous = client.post(f"/{account.orcid}/works/{work.pk}/delete")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/signin")
    assert Work.objects.exists()
