"""Fixtures and helpers for tests that use the Scopus sandbox: a small cast, the same indexed as
a world with namesakes, API keys (registered in the root conftest)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scopus_sandbox import actions
from scopus_sandbox.indexing import index_records
from scopus_sandbox.models import ApiKey
from scopus_sandbox.records import parse_record

CHRIS_ID = "98765432100"
CHRIS_ORCID = "0000-0000-0000-0001"
HKALL_EID = "2-s2.0-33745291715"
HKALL_DOI = "10.1108/02641610610669750"
API_KEY = "testkey0123456789"

CAST: dict[str, Any] = {
    "institution": {
        "name": "City University of Hong Kong",
        "city": "Kowloon",
        "country": "HK",
        "afid": "60008592",
        "ringgold": "53025",
        "website": "https://www.cityu.edu.hk",
    },
    "clients": [],
    "researchers": [
        {
            "staff_id": "chriswong",
            "given_names": "Chris",
            "family_name": "WONG",
            "email": "chriswong@cityu.edu.hk",
            "orcid": CHRIS_ORCID,
            "scopus_author_id": CHRIS_ID,
            "outputs": [
                {
                    "title": "User-initiated resource sharing in Hong Kong universities: "
                    "Planning to reality with HKALL",
                    "journal": "Interlending and Document Supply",
                    "year": 2006,
                    "type": "journal-article",
                    "volume": "34",
                    "issue": "2",
                    "pages": "70-75",
                    "doi": HKALL_DOI,
                    "eid": HKALL_EID,
                    "issn": "0264-1615",
                    "coauthors": [],
                },
                *[
                    {
                        "title": f"Library study number {n}",
                        "journal": "Library and Information Science Research",
                        "year": 2008 + n,
                        "type": "journal-article",
                        "doi": f"10.1000/chris.{n}",
                        "eid": f"2-s2.0-850000001{n:02d}",
                        "coauthors": [{"given_names": "David", "family_name": "Leung"}],
                    }
                    for n in range(1, 6)
                ],
            ],
        },
        {
            "staff_id": "yutang",
            "given_names": "Yu",
            "family_name": "TANG",
            "email": "",
            "orcid": "0000-0000-0000-001X",
            "scopus_author_id": "57000015838",
            "outputs": [
                {
                    "title": "A framework for fintech adoption",
                    "journal": "Journal of Finance",
                    "year": 2010,
                    "type": "conference-paper",
                    "doi": "10.1002/demo.1",
                    "eid": "2-s2.0-85000000125",
                    "coauthors": [{"given_names": "J.", "family_name": "Chan"}],
                }
            ],
        },
    ],
}


@pytest.fixture
def cast() -> dict[str, Any]:
    return copy.deepcopy(CAST)


@pytest.fixture
def cast_file(tmp_path: Path, cast: dict[str, Any]) -> Path:
    path = tmp_path / "cast.json"
    path.write_text(json.dumps(cast), encoding="utf-8")
    return path


@pytest.fixture
def world(cast: dict[str, Any]) -> dict[str, Any]:
    """The cast indexed under its Author IDs (Chris split in two), plus a few namesakes."""
    from scopus_sandbox.demo import cast_records

    records = [parse_record(raw) for raw in cast_records(cast)]
    namesakes = [
        parse_record(
            {
                "title": f"Namesake paper {n}",
                "year": 2015,
                "doi": f"10.2000/namesake.{n}",
                "source_title": "Physical Review B",
                "subject_areas": ["3100"],
                "affiliations": [
                    {
                        "afid": "60025084",
                        "name": "Peking University",
                        "city": "Beijing",
                        "country": "China",
                    }
                ],
                "authors": [
                    {"given_name": "Wei", "surname": "Wong", "affiliations": ["60025084"]},
                    {"given_name": "Min", "surname": "Chen", "affiliations": ["60025084"]},
                ],
            }
        )
        for n in range(3)
    ]
    index_records(records)
    index_records(namesakes)
    return {"records": records}


@pytest.fixture
def api_key() -> ApiKey:
    return actions.do_create_api_key(label="test", weekly_quota=1_000, key=API_KEY)


@pytest.fixture
def headers() -> dict[str, str]:
    return {"X-ELS-APIKey": API_KEY, "Accept": "application/json"}


@pytest.fixture
def signed_in(client: Any, world: dict[str, Any]) -> Any:
    """The test client's browser signed in to the sandbox with Chris's ORCID iD (as the ORCID
    sign-in leaves it; the sign-in itself is walked in test_wizard.py)."""
    from scopus_sandbox.choices import SignInPurposeChoices
    from scopus_sandbox.models import AuthorProfile
    from scopus_sandbox.sessions import COOKIE

    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    session = actions.do_start_sign_in(profile, SignInPurposeChoices.FEEDBACK)
    actions.do_record_sign_in(
        session,
        access_token="token-1",
        orcid=CHRIS_ORCID,
        name="Chris WONG - demo",
        acting_as=CHRIS_ORCID,
    )
    client.cookies[COOKIE] = session.token
    return session
