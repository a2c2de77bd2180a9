"""The weekly full ORCID export against the ORCID sandbox (issue 14): it reads each record's
sections and writes again what the researcher deleted on ORCID, which a nightly run (which
trusts the digest of its last export) cannot see."""

from __future__ import annotations

import pytest

from orcid_connector.client import OrcidSession
from orcid_connector.export import run_export
from orcid_connector.models import ExportState
from orcid_sandbox.models import Account, ResearcherUrl, Work
from portal.models import Person
from tests.integration.test_orcid_export import exportable, portal_works

pytestmark = pytest.mark.django_db(databases=["default", "orcid"])


def test_the_weekly_run_writes_again_what_the_researcher_deleted_on_orcid(
    account: Account, chris: Person, orcid_session: OrcidSession
) -> None:
    # given: two works and the profile link exported, then one work and the link deleted on
    # ORCID by the researcher, with nothing changed in the portal
    exportable(chris, "Kept on ORCID", "10.1000/kept")
    exportable(chris, "Deleted on ORCID", "10.1000/deleted")
    run_export(trigger="test", session=orcid_session, full=False)
    Work.objects.filter(account=account, title="Deleted on ORCID").delete()
    ResearcherUrl.objects.filter(account=account).delete()
    # when: a night sees no mark and leaves the record alone …
    night = run_export(trigger="test", session=orcid_session, full=False)
    assert (night.run.records_total, night.run.calls) == (0, 0)
    # … and the weekly run reads the sections and writes the two items again
    week = run_export(trigger="test", session=orcid_session, repair=True)
    # then
    outcome = week.outcomes[chris.pk]
    assert (outcome.repaired, outcome.created, outcome.failed) == (2, 2, 0)
    assert sorted(w.title for w in portal_works(account)) == ["Deleted on ORCID", "Kept on ORCID"]
    assert ResearcherUrl.objects.filter(account=account).count() == 1
    assert ExportState.objects.get(person=chris).dirty_since is None
    # and the week after, with nothing deleted, it only reads
    again = run_export(trigger="test", session=orcid_session, repair=True).outcomes[chris.pk]
    assert (again.repaired, again.created, again.updated) == (0, 0, 0)
