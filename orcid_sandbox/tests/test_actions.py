"""Every write of the registry goes through an action of actions.py: atomic exactly once, the
actor named by keyword; the API itself writes nothing."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from orcid_sandbox import actions
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.models import Work

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

SANDBOX = Path(__file__).resolve().parent.parent
DOCUMENTS = {"sections", "claims", "token", "data"}
WRITES = {"create", "save", "delete", "update", "bulk_create", "get_or_create", "update_or_create"}
# Actions whose actor is the record's owner or a member client; the rest are the registry's own
# (registration, sign-in, the demo's and the command's set-up), whose actor is the caller.
ACTED = {
    "do_update_personal_data": "acting_account",
    "do_revoke_client_access": "acting_account",
    "do_make_preferred": "acting_account",
    "do_set_visibility": "acting_account",
    "do_delete_item": "acting_account",
    "do_add_work": "acting_client",
    "do_add_works": "acting_client",
    "do_update_work": "acting_client",
    "do_add_other_id": "acting_client",
    "do_add_researcher_url": "acting_client",
    "do_add_employment": "acting_client",
    "do_update_item": "acting_client",
    "do_withdraw_item": "acting_client",
    "do_store_token": "acting_client",
    "do_grant_authorization_code": "acting_account",
    "do_use_authorization_code": "acting_client",
    "do_punish_code_replay": "acting_client",
    "do_revoke_token": "acting_client",
}


def action_definitions() -> dict[str, ast.FunctionDef]:
    tree = ast.parse((SANDBOX / "actions.py").read_text())
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("do_")
    }


@pytest.mark.parametrize("module", ["api.py", "views.py", "oauth.py", "forms.py"])
def test_the_api_and_pages_write_no_model_themselves(module):
    # given
    tree = ast.parse((SANDBOX / module).read_text())
    # when: method calls named like a model write
    writes = [
        f"{module}:{node.lineno} .{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
        # dict.update on the documents being built is no write
        and not (isinstance(node.func.value, ast.Name) and node.func.value.id in DOCUMENTS)
    ]
    # then
    assert writes == []


def test_every_action_is_atomic_exactly_once():
    # when
    decorators = {
        name: [ast.unparse(decorator) for decorator in node.decorator_list]
        for name, node in action_definitions().items()
    }
    # then
    assert decorators
    assert {
        name: found for name, found in decorators.items() if found != ["registry_atomic()"]
    } == {}


@pytest.mark.parametrize(("name", "actor"), ACTED.items())
def test_acted_writes_name_their_actor_by_keyword(name, actor):
    # when
    parameter = inspect.signature(getattr(actions, name)).parameters.get(actor)
    # then
    assert parameter is not None
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY


def test_a_refused_work_in_a_bulk_leaves_the_others_written(account, portal_client):
    # given: two works with the same self id, and one without a title
    work = {
        "title": {"title": {"value": "A"}},
        "type": "book",
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "doi",
                    "external-id-value": "10.1/a",
                    "external-id-relationship": "self",
                }
            ]
        },
    }
    untitled = {**work, "title": None}
    # when
    results = actions.do_add_works(
        account, [{"work": work}, {"work": work}, {"work": untitled}], acting_client=portal_client
    )
    # then: one written, a duplicate and a missing title refused with ORCID's codes
    assert isinstance(results[0], Work)
    assert [getattr(result, "code", None) for result in results[1:]] == [9021, 9022]
    assert Work.objects.count() == 1


def a_work(doi: str) -> dict[str, object]:
    return {
        "title": {"title": {"value": f"Work {doi}"}},
        "type": "journal-article",
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "doi",
                    "external-id-value": doi,
                    "external-id-relationship": "self",
                }
            ]
        },
    }


def test_a_duplicate_later_in_a_bulk_names_the_put_code_of_the_earlier_work(account, portal_client):
    # given: a bulk whose third work repeats the first one's DOI (in another case)
    bulk = [{"work": a_work(doi)} for doi in ("10.1/a", "10.1/b", "10.1/A", "10.1/c")]
    # when
    results = actions.do_add_works(account, bulk, acting_client=portal_client)
    # then: the others written in the bulk's order, the repeat refused with the first's code
    first, second, refused, fourth = results
    assert isinstance(first, Work)
    assert isinstance(second, Work)
    assert isinstance(fourth, Work)
    assert first.pk < second.pk < fourth.pk
    assert isinstance(refused, RegistryError)
    assert refused.code == 9021
    assert f"put-code {first.pk}" in refused.developer_message
    assert list(Work.objects.order_by("pk").values_list("title", flat=True)) == [
        "Work 10.1/a",
        "Work 10.1/b",
        "Work 10.1/c",
    ]


def test_a_bulk_of_100_works_costs_about_the_statements_of_a_bulk_of_2(account, portal_client):
    # given: a bulk of two works, counted
    with CaptureQueriesContext(connections["orcid"]) as small:
        actions.do_add_works(
            account, [{"work": a_work(f"10.2/{n}")} for n in range(2)], acting_client=portal_client
        )
    # when: a full bulk of 100
    with CaptureQueriesContext(connections["orcid"]) as full:
        results = actions.do_add_works(
            account,
            [{"work": a_work(f"10.3/{n}")} for n in range(100)],
            acting_client=portal_client,
        )
    # then: all written, with the small bulk's statements (not one or more a work), give or
    # take the INSERT that SQLite's limit of 999 parameters a statement splits in two
    assert all(isinstance(result, Work) for result in results)
    assert Work.objects.count() == 102
    assert len(full.captured_queries) <= len(small.captured_queries) + 1


def test_only_the_source_withdraws_an_item(account, portal_client, scopus_client):
    # given
    work = Work.objects.create(
        account=account, source_client=scopus_client, title="T", work_type="book"
    )
    # when
    with pytest.raises(RegistryError) as refused:
        actions.do_withdraw_item(work, acting_client=portal_client)
    # then
    assert refused.value.code == 9010
    assert Work.objects.filter(pk=work.pk).exists()
