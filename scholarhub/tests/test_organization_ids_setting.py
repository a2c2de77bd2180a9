"""ORCID_ORGANIZATION_IDS_FILE: the Library's file of organisation ids, read at start-up; a file
that is missing or wrong stops the service with the reason instead of keeping fundings off ORCID
without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scholarhub.tests.test_production import run_manage

PRINT_SETTING = (
    "from django.conf import settings; import json; "
    "print(json.dumps(settings.ORCID_ORGANIZATION_IDS, sort_keys=True))"
)


def read_setting(tmp_path: Path, content: str | None) -> tuple[int, str]:
    path = tmp_path / "organization-ids.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = run_manage(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        PRINT_SETTING,
        SCHOLARHUB_DEBUG="1",
        ORCID_ORGANIZATION_IDS_FILE=str(path),
    )
    return done.returncode, done.stdout + done.stderr


def test_the_file_becomes_the_setting(tmp_path: Path) -> None:
    # given
    entries = {
        "Research Grants Council": {"source": "FUNDREF", "id": "10.13039/501100002920"},
        "香港大學": {"source": "ror", "id": "https://ror.org/02zhqgq86", "country": "HK"},
    }
    # when
    code, output = read_setting(tmp_path, json.dumps(entries, ensure_ascii=False))
    # then
    assert code == 0, output
    assert json.loads(output.strip().splitlines()[-1]) == entries


def test_no_file_named_means_no_ids(tmp_path: Path) -> None:
    done = run_manage(tmp_path, "shell", "--no-imports", "-c", PRINT_SETTING, SCHOLARHUB_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "{}"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read"),
        ("{not json", "cannot read"),
        ('["Research Grants Council"]', "must hold one JSON object"),
        ('{"RGC": "10.13039/501100002920"}', 'has no "id"'),
        ('{"RGC": {"source": "FUNDREF", "id": ""}}', 'has no "id"'),
        ('{"RGC": {"source": "ISNI", "id": "0000 0001"}}', '"source" must be one of'),
        ('{"RGC": {"source": "ROR", "id": "x", "country": 344}}', "values must be text"),
    ],
)
def test_a_wrong_file_stops_the_service_with_the_reason(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    code, output = read_setting(tmp_path, content)
    assert code != 0
    assert "ORCID_ORGANIZATION_IDS_FILE" in output
    assert reason in output
