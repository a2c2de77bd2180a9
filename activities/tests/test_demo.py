"""The demo's activities: Chris WONG, the seed's researcher, holds a membership of a professional
body besides his keynote, and his profile's Activities section shows both."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from activities.choices import ActivityKind
from activities.models import Activity
from portal.choices import OwnedItemStatus
from portal.owned_demo import CHRIS_SLUG
from portal.tests.fixtures import seed_portal_demo

pytestmark = pytest.mark.django_db(databases="__all__")

MEMBERSHIP = "Member, Hong Kong Library Association"


def test_chris_holds_a_membership_that_his_profile_shows(tmp_path: Path, client: Client) -> None:
    # given: the demo university, the portal's part
    seed_portal_demo(tmp_path)
    # when
    profile = client.get(f"/persons/{CHRIS_SLUG}/").content.decode()
    # then: a public, ongoing membership with Chris as its member
    membership = Activity.objects.get(people__person__slug=CHRIS_SLUG, kind=ActivityKind.MEMBERSHIP)
    assert (membership.title, membership.status, membership.end_date) == (
        MEMBERSHIP,
        OwnedItemStatus.PUBLIC,
        None,
    )
    assert [row.role for row in membership.people.all()] == ["Member"]
    # and his profile's Activities section lists it beside his keynote
    activities = profile.split('id="profile-activities"', 1)[1].split("</section>", 1)[0]
    assert MEMBERSHIP in activities
    assert "Membership · 1 January 2008 onwards · Hong Kong Library Association" in activities
    assert "Keynote: User-initiated resource sharing in Hong Kong universities" in activities
