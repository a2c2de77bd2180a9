"""The API's resources are URL patterns, one per resource and base, named for reversing."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


@pytest.mark.parametrize("base", ["api", "pub"])
def test_resources_reverse_to_orcids_paths(base):
    # given
    orcid = "0000-0000-0000-0001"
    # when / then
    assert reverse(f"orcid_sandbox:{base}-record", kwargs={"orcid": orcid}) == (
        f"/{base}/v3.0/{orcid}/record"
    )
    assert reverse(f"orcid_sandbox:{base}-work", kwargs={"orcid": orcid, "put_code": "7"}) == (
        f"/{base}/v3.0/{orcid}/work/7"
    )
    assert reverse(f"orcid_sandbox:{base}-search") == f"/{base}/v3.0/search/"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("patch", "work/1"),
        ("post", "person"),
        ("delete", "works"),
        ("get", "works/"),
        ("get", "work/summary/"),
        ("get", "peer-reviews"),
    ],
)
def test_unrouted_calls_are_orcids_404(client, account, method, path):
    # when
    response = getattr(client, method)(
        f"/pub/v3.0/{account.orcid}/{path}", HTTP_ACCEPT="application/json"
    )
    # then
    assert response.status_code == 404
    assert response.json()["error-code"] == 9016


def test_the_record_checks_come_before_the_404(client):
    # when: a malformed iD on an unknown path
    response = client.get(
        "/pub/v3.0/0000-0000-0000-000Y/peer-reviews", HTTP_ACCEPT="application/json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["error-code"] == 9012
