"""Every write of the Scopus connector is an action: atomic once, keyword-only `acting_user`,
an audit row; and each action's own behaviour."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.actions import do_add_person_identifier
from portal.choices import PersonIdentifierType
from portal.models import AuditEntry
from portal.tests.fixtures import make_person
from scopus_connector import actions
from scopus_connector.actions import Assessment, CandidateDecidedError
from scopus_connector.choices import CandidateState, Verdict
from scopus_connector.models import Candidate, ScopusCheck, SearchMark
from scopus_connector.records import DocumentAuthor, SearchDocument

pytestmark = pytest.mark.django_db

ACTIONS = {
    name: function
    for name, function in inspect.getmembers(actions, inspect.isfunction)
    if name.startswith("do_") and function.__module__ == actions.__name__
}


def document(eid: str = "2-s2.0-85000000101") -> SearchDocument:
    return SearchDocument(
        eid=eid,
        title="Library study number 1",
        doi="10.1000/chris.1",
        source_title="Library and Information Science Research",
        cover_date=date(2009, 3, 1),
        doc_type="ar",
        authors=(DocumentAuthor(position=1, author_id="98765432100", surname="Wong"),),
    )


def _calls(person) -> dict[str, Callable[[Any], Any]]:
    """One call of each action, as the connector makes it (the actor is the argument)."""
    identifier = do_add_person_identifier(
        person, PersonIdentifierType.SCOPUS_AUTHOR_ID, "98765432100", acting_user=None
    )
    consistent = Assessment(Verdict.CONSISTENT, ("The name fits.",), "98765432100")

    def outage(actor):
        check = actions.do_record_scopus_check(identifier, consistent, acting_user=None)
        return actions.do_note_scopus_outage(check, "Scopus answered 503.", acting_user=actor)

    def candidate() -> Candidate:
        made = actions.do_add_candidate(person, document(), None, acting_user=None)
        assert made is not None
        return made

    def claim(actor):
        return actions.do_claim_candidate(candidate(), acting_user=actor)

    def reject(actor):
        return actions.do_reject_candidate(candidate(), acting_user=actor)

    return {
        "do_record_scopus_check": lambda actor: actions.do_record_scopus_check(
            identifier, consistent, acting_user=actor
        ),
        "do_note_scopus_outage": outage,
        "do_add_candidate": lambda actor: actions.do_add_candidate(
            person, document(), None, acting_user=actor
        ),
        "do_claim_candidate": claim,
        "do_reject_candidate": reject,
        "do_mark_authors_searched": lambda actor: actions.do_mark_authors_searched(
            ["98765432100"], searched_on=date(2026, 1, 5), full=True, acting_user=actor
        ),
    }


def test_every_action_is_exercised_below():
    # a new action without a call here would escape the audit test
    assert set(_calls(make_person("Chris", "WONG"))) == set(ACTIONS)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_is_atomic_exactly_once(name):
    function = ACTIONS[name]
    # transaction.atomic as a decorator wraps the function once (functools.wraps)
    inner = getattr(function, "__wrapped__", None)
    assert inner is not None, f"{name} is not wrapped in transaction.atomic"
    assert getattr(inner, "__wrapped__", None) is None, f"{name} is wrapped twice"
    source = inspect.getsource(inner)
    assert source.count("transaction.atomic") == 1, f"{name} opens another transaction inside"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_takes_the_actor_by_keyword_only(name):
    parameter = inspect.signature(ACTIONS[name]).parameters["acting_user"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_writes_an_audit_row_naming_the_actor(name):
    # given
    person = make_person("Chris", "WONG")
    call = _calls(person)[name]
    before = AuditEntry.objects.count()
    # when
    call(person.user)
    # then: the last row is this action's, by the researcher
    assert AuditEntry.objects.count() > before
    entry = AuditEntry.objects.order_by("pk").last()
    assert entry is not None
    assert person.user is not None
    assert entry.actor_label == person.user.get_username()
    assert entry.target_type.startswith("scopus_connector.")


def test_a_known_candidate_is_not_added_twice():
    person = make_person("Chris", "WONG")
    assert actions.do_add_candidate(person, document(), None, acting_user=None) is not None
    assert actions.do_add_candidate(person, document(), None, acting_user=None) is None
    undated = SearchDocument(eid="2-s2.0-1", title="Undated")
    assert actions.do_add_candidate(person, undated, None, acting_user=None) is None
    assert Candidate.objects.count() == 1


def test_a_rejection_is_final_and_audited():
    # given
    person = make_person("Chris", "WONG")
    candidate = actions.do_add_candidate(person, document(), None, acting_user=None)
    assert candidate is not None
    # when
    actions.do_reject_candidate(candidate, acting_user=person.user)
    # then
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.REJECTED
    entry = AuditEntry.objects.filter(target_id=str(candidate.pk)).order_by("pk").last()
    assert entry is not None
    assert (entry.before["state"], entry.after["state"]) == ("new", "rejected")
    with pytest.raises(CandidateDecidedError, match="decided already"):
        actions.do_reject_candidate(candidate, acting_user=person.user)


def test_an_outage_note_replaces_the_previous_one():
    person = make_person("Chris", "WONG")
    identifier = do_add_person_identifier(
        person, PersonIdentifierType.SCOPUS_AUTHOR_ID, "98765432100", acting_user=None
    )
    check = actions.do_record_scopus_check(
        identifier,
        Assessment(Verdict.NOT_FOUND, ("Scopus has no author profile.",)),
        acting_user=None,
    )
    actions.do_note_scopus_outage(check, "first", acting_user=None)
    kept = actions.do_note_scopus_outage(check, "second", acting_user=None)
    assert kept.verdict == Verdict.NOT_FOUND
    assert kept.reasons == [
        "Scopus has no author profile.",
        "A later check could not ask Scopus: second",
    ]
    assert ScopusCheck.objects.count() == 1


def test_search_marks_keep_the_full_search_date_of_an_incremental_search():
    actions.do_mark_authors_searched(
        ["1"], searched_on=date(2026, 1, 1), full=True, acting_user=None
    )
    actions.do_mark_authors_searched(
        ["1"], searched_on=date(2026, 1, 9), full=False, acting_user=None
    )
    mark = SearchMark.objects.get(author_id="1")
    assert (mark.searched_on, mark.full_search_on) == (date(2026, 1, 9), date(2026, 1, 1))
