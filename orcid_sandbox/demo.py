"""Seeding the registry from the demo hand-over file ("the cast") written by the portal's seed.

Idempotent: accounts and clients are matched by iD and client id and brought up to date; works
are added only to records that have none yet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orcid_sandbox import actions
from orcid_sandbox.database import registry_atomic
from orcid_sandbox.models import Account, Work

# A search-and-link client that claimed works for researchers before the exercise, so records
# show groups with several sources and a "Preferred source".
CROSSREF_CLIENT_ID = "APP-CROSSREFDEMO0001"


class CastError(ValueError):
    """The hand-over file is missing, unreadable or not in the expected shape."""


def read_cast(path: Path) -> dict[str, Any]:
    try:
        cast = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CastError(f"cannot read {path}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise CastError(f"{path} is not JSON: {error}") from error
    if (
        not isinstance(cast, dict)
        or not isinstance(cast.get("researchers"), list)
        or not isinstance(cast.get("clients"), list)
    ):
        raise CastError(f"{path} needs 'clients' and 'researchers' lists")
    return cast


def work_ids(output: dict[str, Any]) -> list[dict[str, str]]:
    ids = []
    for id_type in ("doi", "eid"):
        if output.get(id_type):
            ids.append(
                {"type": id_type, "value": output[id_type], "url": "", "relationship": "self"}
            )
    if output.get("issn"):
        ids.append({"type": "issn", "value": output["issn"], "url": "", "relationship": "part-of"})
    return ids


@registry_atomic()
def seed_from_cast(cast: dict[str, Any]) -> dict[str, int]:
    """Create the clients, accounts and starting works of the demo; returns counts."""
    for client in cast["clients"]:
        actions.do_register_client(
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            name=client["name"],
            website=client.get("website", ""),
            redirect_uris=client.get("redirect_uris", []),
            allow_assertion_origin=bool(client.get("allow_assertion_origin")),
        )
    crossref, _ = actions.do_register_client(
        client_id=CROSSREF_CLIENT_ID,
        name="Crossref Metadata Search",
        website="https://search.crossref.org",
        redirect_uris=["https://search.crossref.org/auth/orcid/callback"],
        allow_assertion_origin=True,
    )
    accounts = works = 0
    country = cast.get("institution", {}).get("country", "")
    for person in cast["researchers"]:
        account = Account.objects.filter(orcid=person["orcid"]).first()
        if account is None:
            account = actions.do_create_account(
                email=person["email"],
                password=person["orcid_password"],
                given_names=person["given_names"],
                family_name=person["family_name"],
                credit_name=person.get("credit_name", ""),
                orcid=person["orcid"],
            )
            accounts += 1
        # Researchers put their name in their own script under "Also known as" on ORCID.
        native = [person["native_name"]] if person.get("native_name") else []
        account.other_names = "\n".join([*native, *person.get("other_names", [])])
        account.country = country
        account.save(update_fields=["other_names", "country"])
        if account.works.exists():
            continue
        for index, output in enumerate(person.get("outputs", [])[:6]):
            common = {
                "account": account,
                "title": output["title"][:1000],
                "journal_title": output.get("journal", ""),
                "work_type": output.get("type", "journal-article"),
                "publication_year": str(output.get("year", "")),
                "external_ids": work_ids(output),
            }
            # Crossref claimed most of them; the researcher typed a couple in by hand.
            Work.objects.create(
                source_client=crossref, assertion_origin=account, display_index=1, **common
            )
            works += 1
            if index % 2 == 0:
                Work.objects.create(source_client=None, display_index=0, **common)
                works += 1
    return {"accounts": accounts, "works": works}
