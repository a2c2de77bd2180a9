"""The Library's Background jobs page."""

import pytest

from jobs.models import JobRun


@pytest.mark.django_db
def test_the_library_reads_the_job_runs(client):
    from portal.tests.accessibility import assert_accessible
    from portal.tests.fixtures import make_library_user, make_person

    JobRun.objects.create(job="orcid-export", failed=True, outcome="RuntimeError: down")
    researcher = make_person("Mei", "CHAN")
    client.force_login(researcher.user)
    assert client.get("/backend/library/jobs/").status_code == 403
    client.force_login(make_library_user())
    page = client.get("/backend/library/jobs/").content.decode()
    assert "Failed:" in page
    assert "RuntimeError: down" in page
    assert "daily at 02:00" in page
    assert_accessible(page)
    assert "/backend/library/jobs/" in client.get("/backend/").content.decode()
