"""ORCID's error codes are named once, in choices.ErrorCode, and used by name everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

from orcid_sandbox.choices import ErrorCode

SANDBOX = Path(__file__).resolve().parent.parent


def code_arguments(tree: ast.AST) -> list[ast.expr]:
    """The error-code argument of every RegistryError(…) and bad_request(…) call."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if name == "RegistryError" and len(node.args) >= 2:
                found.append(node.args[1])
            elif name == "bad_request" and node.args:
                found.append(node.args[0])
    return found


def test_every_error_is_raised_with_a_named_code():
    # given: the sandbox's own modules (tests aside)
    modules = [path for path in SANDBOX.rglob("*.py") if "tests" not in path.parts]
    # when
    bare = [
        f"{path.relative_to(SANDBOX)}:{argument.lineno}"
        for path in modules
        for argument in code_arguments(ast.parse(path.read_text()))
        if isinstance(argument, ast.Constant)
    ]
    # then
    assert bare == []
    assert len(modules) > 10


def test_error_codes_are_orcids_numbers():
    # then: they serialise as the numbers ORCID's clients read
    assert int(ErrorCode.DUPLICATE_ACTIVITY) == 9021
    assert str(ErrorCode.NOT_FOUND) == "9016"
    assert len({code.value for code in ErrorCode}) == len(ErrorCode)
