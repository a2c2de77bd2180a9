"""What is particular to press items: the outlet and a link readers can follow."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal.actions.owned import PersonEntry, do_create_owned_item
from portal.tests.fixtures import make_person
from press.forms import PressItemForm
from press.models import PressItem

pytestmark = pytest.mark.django_db


def form_data(**changes: str) -> dict[str, str]:
    return {
        "title": "Libraries that lend",
        "outlet": "RTHK",
        "published_on": "2024-05-02",
        "url": "https://news.rthk.hk/demo/1",
        "description": "",
        "status": "public",
        **changes,
    }


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "https://",
        "http://exa mple.com/",
        "https://example.com/" + "a" * 1000,
    ],
)
def test_the_form_refuses_a_link_readers_cannot_safely_follow(url: str) -> None:
    chris = make_person()
    form = PressItemForm(form_data(people=chris.slug, url=url))
    assert not form.is_valid()
    assert "url" in form.errors


def test_a_link_without_a_scheme_is_taken_as_https() -> None:
    chris = make_person()
    form = PressItemForm(form_data(people=chris.slug, url="news.rthk.hk/demo/1"))
    assert form.is_valid(), form.errors
    assert form.item_fields()["url"] == "https://news.rthk.hk/demo/1"


def test_the_action_refuses_a_script_link_from_any_caller() -> None:
    chris = make_person()
    with pytest.raises(ValidationError):
        do_create_owned_item(
            PressItem,
            chris,
            {
                "title": "Sneaky",
                "outlet": "Nowhere",
                "published_on": datetime.date(2024, 1, 1),
                "url": "javascript:alert(1)",
            },
            [PersonEntry(chris)],
            acting_user=None,
        )


def test_the_detail_page_links_the_piece(client: Client) -> None:
    chris = make_person()
    item = do_create_owned_item(
        PressItem,
        chris,
        {
            "title": "Libraries that lend",
            "outlet": "RTHK",
            "published_on": datetime.date(2024, 5, 2),
            "url": "https://news.rthk.hk/demo/1",
            "status": "public",
        },
        [PersonEntry(chris, "Interviewee")],
        acting_user=None,
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert '<a href="https://news.rthk.hk/demo/1" rel="noopener nofollow">' in page
    assert "RTHK" in page
    assert "2 May 2024" in page
