"""The check that no test case passes without asserting (tests/assertion_check.py).

It runs pytest on a small file of its own, in a separate process, with only the check loaded.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EXAMPLES = """
import warnings

import pytest


@pytest.mark.parametrize("role", ["juror", "witness"])
def test_returns_early_for_the_allowed_role(role):
    if role == "juror":
        return
    assert role == "witness"


@pytest.mark.parametrize("roles", [[]])
def test_loops_over_nothing(roles):
    for role in roles:
        assert role


@pytest.mark.parametrize("role", ["juror"])
def test_asserts(role):
    assert role == "juror"


@pytest.mark.parametrize("role", ["juror"])
def test_expects_an_exception(role):
    with pytest.raises(KeyError):
        {}[role]


@pytest.mark.parametrize("role", ["juror"])
def test_expects_a_warning(role):
    with pytest.warns(UserWarning):
        warnings.warn(role, UserWarning, stacklevel=1)


@pytest.mark.parametrize("role", ["juror"])
def test_asserts_in_a_coroutine(role):
    import asyncio

    async def check():
        assert role

    asyncio.run(check())


@pytest.mark.parametrize("role", ["juror"])
def test_that_fails_is_reported_once(role):
    assert role == "witness"


def test_without_parameters_is_checked_too():
    pass
"""


def test_a_case_that_asserts_nothing_fails(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\nenable_assertion_pass_hook = true\n")
    (tmp_path / "test_examples.py").write_text(textwrap.dedent(EXAMPLES))

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.assertion_check", "-p", "no:django"]
        + ["-p", "no:asyncio"]
        + ["-p", "no:cacheprovider", "-q", "-rf", "test_examples.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    out = run.stdout
    assert "4 failed, 5 passed" in out, out + run.stderr
    message = "passed without asserting anything"
    assert f"test_returns_early_for_the_allowed_role[juror] {message}" in out
    assert f"test_loops_over_nothing[roles0] {message}" in out
    assert f"test_without_parameters_is_checked_too {message}" in out
    assert "test_returns_early_for_the_allowed_role[witness] " + message not in out
    assert "test_that_fails_is_reported_once[juror] " + message not in out


def test_the_check_needs_the_assertion_pass_hook(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_example.py").write_text("def test_nothing():\n    pass\n")

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.assertion_check", "-p", "no:django"]
        + ["-p", "no:asyncio"]
        + ["-p", "no:cacheprovider", "-q", "test_example.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode != 0
    assert "needs enable_assertion_pass_hook = true" in run.stdout + run.stderr
