"""The validation queue's counts per unit, kept by database triggers: they equal a recount of the
waiting outputs after any sequence of changes, by the workflow actions or around them; the
seed's bulk path keeps them; `scholarhub queue-counts` finds and repairs a difference."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.actions import (
    do_merge_outputs,
    do_return_output,
    do_submit_output_for_validation,
    do_validate_output,
    do_withdraw_output,
)
from portal.choices import WorkflowStatus
from portal.demo import DemoUniversity
from portal.errors import PortalError
from portal.models import OrgUnit, Person, ResearchOutput, ValidationQueueCount
from portal.output_queries import queue_counts_per_unit
from portal.queue_counts import UnitCount, differences, recount, repair, unit_count
from portal.tests.fixtures import make_output, make_unit

pytestmark = pytest.mark.django_db

OUTPUTS = 5
UNITS = 3


class World:
    """A few outputs and units for one drawn sequence of changes."""

    def __init__(self, researcher: Person, library: User, states: list[WorkflowStatus]) -> None:
        self.library = library
        self.units: list[OrgUnit | None] = [make_unit(f"Unit {n}") for n in range(UNITS)]
        self.outputs = [
            make_output(researcher, title=f"Paper {n}", workflow=state)
            for n, state in enumerate(states)
        ]

    def output(self, n: int) -> ResearchOutput | None:
        chosen = self.outputs[n % len(self.outputs)]
        return ResearchOutput.objects.filter(pk=chosen.pk).first()

    def unit(self, n: int) -> OrgUnit | None:
        chosen = self.units[n % len(self.units)]
        if chosen is None or not OrgUnit.objects.filter(pk=chosen.pk).exists():
            return None
        return chosen


def _submit(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    do_submit_output_for_validation(output, acting_user=world.library)


def _validate(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    do_validate_output(output, acting_user=world.library)


def _return(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    do_return_output(output, "Please add the DOI.", acting_user=world.library)


def _withdraw(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    do_withdraw_output(output, acting_user=world.library)


def _manage_by_save(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    output.managing_unit = unit
    output.save()


def _manage_by_update(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    ResearchOutput.objects.filter(pk=output.pk).update(managing_unit=unit)


def _list(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    if unit is not None:
        output.units.add(unit)


def _unlist(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    if unit is not None:
        output.units.remove(unit)


def _clear_units(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    output.units.clear()


def _wait_by_update(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    """A write around the actions (a script, the admin): straight into the queue."""
    ResearchOutput.objects.filter(pk=output.pk).update(
        workflow_status=WorkflowStatus.FOR_VALIDATION
    )


def _merge(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    survivor = next(
        (other for other in world.outputs if other.pk != output.pk),
        None,
    )
    if survivor is not None and ResearchOutput.objects.filter(pk=survivor.pk).exists():
        do_merge_outputs(survivor, output, acting_user=world.library)


def _delete_output(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    output.delete()


def _delete_unit(world: World, output: ResearchOutput, unit: OrgUnit | None) -> None:
    if unit is not None:
        unit.delete()


Change = Callable[[World, ResearchOutput, OrgUnit | None], None]
CHANGES: list[Change] = [
    _submit,
    _validate,
    _return,
    _withdraw,
    _manage_by_save,
    _manage_by_update,
    _list,
    _unlist,
    _clear_units,
    _wait_by_update,
    _merge,
    _delete_output,
    _delete_unit,
]
STATES = [
    WorkflowStatus.ENTRY_IN_PROGRESS,
    WorkflowStatus.FOR_VALIDATION,
    WorkflowStatus.VALIDATED,
    WorkflowStatus.RETURNED,
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    states=st.lists(st.sampled_from(STATES), min_size=OUTPUTS, max_size=OUTPUTS),
    changes=st.lists(
        st.tuples(st.sampled_from(CHANGES), st.integers(0, OUTPUTS - 1), st.integers(0, UNITS)),
        max_size=30,
    ),
)
def test_counts_equal_a_recount_after_any_changes(
    researcher, library_user, states: list[WorkflowStatus], changes: list[tuple[Change, int, int]]
) -> None:
    # given (examples share the database: the counts must hold across all of them)
    world = World(researcher, library_user, states)
    assert differences() == {}
    for change, output_index, unit_index in changes:
        output = world.output(output_index)
        if output is None:
            continue
        # when: one change, refused or not (a refusal must leave the counts alone too)
        try:
            with transaction.atomic():
                change(world, output, None if unit_index == UNITS else world.unit(unit_index))
        except PortalError:
            pass
        # then
        assert differences() == {}, change.__name__


def test_counts_follow_the_queue_and_the_units_listed(researcher, library_user) -> None:
    # given: one output managed by Law and listed under Music, one without a managing unit
    law, music = make_unit("School of Law"), make_unit("Music")
    paper = make_output(researcher, title="Law and music")
    paper.managing_unit = law
    paper.save()
    paper.units.add(music, law)
    loose = make_output(researcher, title="No unit", workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    # when: both are submitted
    ResearchOutput.objects.filter(pk=paper.pk).update(workflow_status=WorkflowStatus.RETURNED)
    paper.refresh_from_db()
    do_submit_output_for_validation(paper, acting_user=library_user)
    do_submit_output_for_validation(loose, acting_user=library_user)
    # then: Law manages one, Music lists one, and the queue holds two
    assert queue_counts_per_unit() == [("No managing unit", 1), ("School of Law", 1)]
    assert unit_count(law.pk) == UnitCount(managed=1, in_unit=1)
    assert unit_count(music.pk) == UnitCount(managed=0, in_unit=1)
    assert recount() == {
        0: UnitCount(managed=1, in_unit=0),
        law.pk: UnitCount(managed=1, in_unit=1),
        music.pk: UnitCount(managed=0, in_unit=1),
    }
    # and when the paper is validated, neither unit has anything waiting
    do_validate_output(paper, acting_user=library_user)
    assert unit_count(law.pk) == unit_count(music.pk) == UnitCount(0, 0)
    assert queue_counts_per_unit() == [("No managing unit", 1)]


def test_the_seeds_bulk_path_keeps_the_counts() -> None:
    # given / when: the demo university, written by COPY (PostgreSQL) or executemany
    DemoUniversity(30, 300).build()
    # then
    waiting = ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
    assert waiting.exists()
    assert differences() == {}
    assert sum(n for _, n in queue_counts_per_unit()) == waiting.count()


def test_migration_fills_the_counts_from_the_outputs(researcher) -> None:
    # given: outputs waiting, and the table emptied (as before the migration)
    law = make_unit("School of Law")
    for n in range(3):
        output = make_output(researcher, title=f"P{n}", workflow=WorkflowStatus.FOR_VALIDATION)
        ResearchOutput.objects.filter(pk=output.pk).update(managing_unit=law if n else None)
    expected = recount()
    ValidationQueueCount.objects.all().delete()
    # when: the migration's fill runs
    migration = importlib.import_module("portal.migrations.0008_validation_queue_counts")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    # then
    assert recount() == expected
    assert differences() == {}


def test_command_reports_and_repairs_a_difference(researcher, capsys) -> None:
    # given: counts that match, then one tampered with
    law = make_unit("School of Law")
    output = make_output(researcher, workflow=WorkflowStatus.FOR_VALIDATION)
    ResearchOutput.objects.filter(pk=output.pk).update(managing_unit=law)
    call_command("queue_counts")
    assert "match" in capsys.readouterr().out
    ValidationQueueCount.objects.filter(unit_key=law.pk).update(managed=7)
    ValidationQueueCount.objects.create(unit_key=999_999, managed=2, in_unit=2)
    # when: checked
    with pytest.raises(CommandError, match="2 units differ"):
        call_command("queue_counts")
    report = capsys.readouterr().out
    # then: each difference is listed
    assert f"unit {law.pk}: stored 7 managed / 1 in the unit, recounted 1 managed" in report
    assert "unit 999999: stored 2 managed / 2 in the unit, recounted none" in report
    # and --repair puts them right
    call_command("queue_counts", "--repair")
    assert "Repaired the counts of 2 units" in capsys.readouterr().out
    assert differences() == {}
    assert repair() == 0
