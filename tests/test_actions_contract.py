"""Every `do_*` action in every app keeps the house contract (house style, "Where logic goes"):

- atomic exactly once: one `transaction.atomic` around the whole action, as a decorator or as
  the `with` that holds its body, on the database that holds the app's tables (a savepoint
  nested inside, around a single statement that may fail, is allowed);
- the acting party keyword-only: `acting_user` on the portal's side; the sandboxes stand for
  other organisations and name their own actor (`acting_account` or `acting_client` in the
  ORCID registry, `acting_as` in Scopus);
- audited: on the portal's side every action writes the audit log (`portal.audit.record_change`
  or `AuditEntry` rows, directly or through another action). The sandboxes keep no audit log of
  their own: the ORCID registry records each item's source client and Scopus the submitter of
  feedback, and that is not checked here.

Actions are found by walking every installed app's `actions` module or package, so a new app's
actions are held to the same rules without editing this file. Known departures are listed in
KNOWN with the reason; an entry that no longer departs fails the test too, so the list only
shrinks.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, router
from django.db.transaction import Atomic

from portal.models import AuditEntry
from portal.tests.fixtures import make_person

SANDBOXES = {"orcid_sandbox", "scopus_sandbox"}
ACTOR_PARAMETERS = {
    "orcid_sandbox": {"acting_account", "acting_client"},
    "scopus_sandbox": {"acting_as"},
}
PORTAL_ACTOR = {"acting_user"}

# (module, action) -> (rule, why it is allowed for now). Rules: "atomic", "actor", "audit".
_REGISTRY_ACTOR = (
    "the ORCID registry's own machinery (sign-in, accounts, tokens, clients): the actor is the "
    "visitor or the console, which the action does not take yet"
)
KNOWN: dict[tuple[str, str], dict[str, str]] = {
    ("orcid_sandbox.actions", "do_create_account"): {"actor": _REGISTRY_ACTOR},
    ("orcid_sandbox.actions", "do_create_signing_key"): {"actor": _REGISTRY_ACTOR},
    ("orcid_sandbox.actions", "do_deprecate_account"): {"actor": _REGISTRY_ACTOR},
    ("orcid_sandbox.actions", "do_issue_token"): {"actor": _REGISTRY_ACTOR},
    ("orcid_sandbox.actions", "do_record_sign_in_failure"): {"actor": _REGISTRY_ACTOR},
    ("orcid_sandbox.actions", "do_register_client"): {"actor": _REGISTRY_ACTOR},
    ("orcid_sandbox.actions", "do_sign_in"): {"actor": _REGISTRY_ACTOR},
    ("orcid_sandbox.actions", "do_sign_out"): {"actor": _REGISTRY_ACTOR},
    ("scopus_sandbox.actions", "do_process_feedback"): {
        "atomic": "a batch: each due request is applied in a transaction of its own, so one "
        "request's failure does not undo the others"
    },
}


@dataclass(frozen=True)
class Action:
    app: str
    module: str
    name: str
    function: Callable[..., Any]

    @property
    def key(self) -> tuple[str, str]:
        return (self.module, self.name)

    def __str__(self) -> str:
        return f"{self.module}.{self.name}"


def action_modules(app: str) -> Iterator[ModuleType]:
    try:
        package = importlib.import_module(f"{app}.actions")
    except ModuleNotFoundError as error:
        if error.name != f"{app}.actions":
            raise
        return
    yield package
    if hasattr(package, "__path__"):
        for info in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}."):
            yield importlib.import_module(info.name)


def all_actions() -> list[Action]:
    found = []
    for config in apps.get_app_configs():
        if config.name not in PROJECT_APPS:
            continue
        for module in action_modules(config.name):
            for name, function in vars(module).items():
                if (
                    name.startswith("do_")
                    and inspect.isfunction(function)
                    and function.__module__ == module.__name__
                ):
                    found.append(Action(config.name, module.__name__, name, function))
    return sorted(found, key=lambda action: action.key)


def project_apps() -> set[str]:
    """Our own apps: those whose code lives in this repository, not in site-packages."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
    }


PROJECT_APPS = project_apps()
ACTIONS = all_actions()


def decorator_atomics(function: Callable[..., Any]) -> tuple[list[Atomic], Callable[..., Any]]:
    """The Atomic objects wrapped around a function by decorators, and the function inside.

    Django's `atomic` is a ContextDecorator: the wrapper keeps the Atomic in its closure and
    the wrapped function in `__wrapped__`."""
    atomics = []
    while hasattr(function, "__wrapped__"):
        for cell in function.__closure__ or ():
            if isinstance(cell.cell_contents, Atomic):
                atomics.append(cell.cell_contents)
        function = function.__wrapped__
    return atomics, function


def syntax_of(function: Callable[..., Any]) -> ast.FunctionDef:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef)
    return definition


def is_atomic_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    callee = node.func
    name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
    return name.endswith("atomic")


def names_its_database(node: ast.expr) -> bool:
    """`registry_atomic()`-style helpers name the sandbox's database; bare atomic() does not."""
    assert isinstance(node, ast.Call)
    callee = node.func
    name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
    return name != "atomic" or any(keyword.arg == "using" for keyword in node.keywords)


def body_atomics(definition: ast.FunctionDef) -> list[ast.expr]:
    """The atomic blocks that hold the action's body: `with` statements at its top level."""
    return [
        item.context_expr
        for statement in definition.body
        if isinstance(statement, ast.With)
        for item in statement.items
        if is_atomic_call(item.context_expr)
    ]


def app_database(app: str) -> str:
    models = list(apps.get_app_config(app.rsplit(".", 1)[-1]).get_models())
    return router.db_for_write(models[0]) if models else DEFAULT_DB_ALIAS


def atomic_problems(action: Action) -> list[str]:
    wrappers, inner = decorator_atomics(action.function)
    blocks = body_atomics(syntax_of(inner))
    count = len(wrappers) + len(blocks)
    problems = []
    if count != 1:
        problems.append(f"atomic {count} times ({len(wrappers)} decorators, {len(blocks)} blocks)")
    database = app_database(action.app)
    for atomic in wrappers:
        if (atomic.using or DEFAULT_DB_ALIAS) != database:
            problems.append(f"atomic on {atomic.using or DEFAULT_DB_ALIAS!r}, not {database!r}")
    if database != DEFAULT_DB_ALIAS:
        for block in blocks:
            if not names_its_database(block):
                problems.append(f"atomic block on the default database, not {database!r}")
    return problems


def actor_problems(action: Action) -> list[str]:
    expected = ACTOR_PARAMETERS.get(action.app, PORTAL_ACTOR)
    parameters = inspect.signature(action.function).parameters
    actors = [parameters[name] for name in expected if name in parameters]
    if not actors:
        return [f"no acting party ({' or '.join(sorted(expected))})"]
    return [
        f"{parameter.name} is not keyword-only"
        for parameter in actors
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY
    ]


def audits(function: Callable[..., Any], seen: set[str] | None = None) -> bool:
    """Whether the function, or a helper of its own app it calls, writes the audit log."""
    seen = set() if seen is None else seen
    _, inner = decorator_atomics(function)
    seen.add(f"{inner.__module__}.{inner.__qualname__}")
    app = inner.__module__.split(".")[0]
    for node in ast.walk(syntax_of(inner)):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        if name in ("record_change", "audited_update") or name.startswith("do_"):
            return True
        if name in ("create", "bulk_create") and "AuditEntry" in ast.unparse(callee):
            return True
        helper = inner.__globals__.get(name) if isinstance(callee, ast.Name) else None
        if (
            inspect.isfunction(helper)
            and helper.__module__.split(".")[0] == app
            and f"{helper.__module__}.{helper.__qualname__}" not in seen
            and audits(helper, seen)
        ):
            return True
    return False


def audit_problems(action: Action) -> list[str]:
    if action.app in SANDBOXES:
        return []
    return [] if audits(action.function) else ["writes no audit entry"]


RULES = {"atomic": atomic_problems, "actor": actor_problems, "audit": audit_problems}


def test_the_walk_finds_every_apps_actions():
    # given / when: the actions found by walking the installed apps
    modules = {action.module for action in ACTIONS}
    # then: the portal's package, the connectors, the exercise and both sandboxes are covered
    for expected in (
        "portal.actions.persons",
        "portal.actions.outputs",
        "orcid_connector.actions",
        "scopus_connector.actions",
        "exercise.actions",
        "orcid_sandbox.actions",
        "scopus_sandbox.actions",
    ):
        assert expected in modules
    assert len(ACTIONS) > 40


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_every_action_keeps_the_contract(action: Action, rule: str):
    # given: one action and one rule of the contract
    known = KNOWN.get(action.key, {}).get(rule)
    # when
    problems = RULES[rule](action)
    # then
    if known:
        assert problems, f"{action} now keeps the {rule} rule: remove it from KNOWN"
    else:
        assert not problems, f"{action}: {'; '.join(problems)}"


def test_the_atomic_check_sees_double_and_missing_wrapping():
    # given: actions wrapped twice, not at all, and once on the wrong database
    from django.db import transaction

    @transaction.atomic
    @transaction.atomic
    def do_twice(*, acting_user: object) -> None:
        """Twice."""

    def do_never(*, acting_user: object) -> None:
        """Never."""

    @transaction.atomic
    def do_also_twice(*, acting_user: object) -> None:
        """A decorator and a block around the body."""
        with transaction.atomic():
            pass

    def do_once(*, acting_user: object) -> None:
        """Once, as a block."""
        with transaction.atomic():
            pass

    @transaction.atomic(using="default")
    def do_on_the_portal(*, acting_as: str) -> None:
        """A sandbox action guarding the portal's database instead of its own."""

    def check(function: Callable[..., Any], app: str = "portal") -> list[str]:
        return atomic_problems(Action(app, __name__, function.__name__, function))

    # when / then
    assert check(do_twice) == ["atomic 2 times (2 decorators, 0 blocks)"]
    assert check(do_never) == ["atomic 0 times (0 decorators, 0 blocks)"]
    assert check(do_also_twice) == ["atomic 2 times (1 decorators, 1 blocks)"]
    assert check(do_once) == []
    assert check(do_on_the_portal, "orcid_sandbox") == [
        f"atomic on 'default', not {app_database('orcid_sandbox')!r}"
    ]


def test_the_actor_and_audit_checks_see_departures():
    # given
    def do_positional(person: object, acting_user: object) -> None:
        """The actor may be passed by position."""

    def do_silent(*, acting_user: object) -> None:
        """Writes without a trace."""

    def check(rule: str, function: Callable[..., Any]) -> list[str]:
        return RULES[rule](Action("portal", __name__, function.__name__, function))

    # when / then
    assert check("actor", do_positional) == ["acting_user is not keyword-only"]
    assert check("audit", do_silent) == ["writes no audit entry"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "act",
    [
        "add link",
        "remove link",
        "update profile",
        "add identifier",
    ],
)
def test_sample_actions_write_an_audit_row(act: str):
    # given: a researcher acting on their own profile
    from portal import actions

    person = make_person()
    user = person.user
    link = actions.do_add_person_link(person, "personal", "https://example.org/a", acting_user=user)
    before = AuditEntry.objects.count()
    # when
    if act == "add link":
        actions.do_add_person_link(person, "personal", "https://example.org/b", acting_user=user)
    elif act == "remove link":
        actions.do_remove_person_link(link, acting_user=user)
    elif act == "update profile":
        actions.do_update_profile(person, {"profile_text": "Librarian."}, acting_user=user)
    else:
        actions.do_add_person_identifier(person, "isni", "0000 0001 2281 955X", acting_user=user)
    # then: one more entry, naming the researcher as the one who acted
    entries = AuditEntry.objects.order_by("-id")
    assert entries.count() == before + 1
    latest = entries.first()
    assert latest is not None
    assert latest.actor == user
