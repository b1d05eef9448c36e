"""Every test case must check something: one that passes without asserting fails.

Parametrised cases are where this matters most: a case built from a table can silently do nothing (an early `return` for the allowed roles, an
`if` around the only `assert`, a loop over an empty list) and still show as passed. This plugin
counts, while each test case runs, the checks that passed:

- plain `assert` statements, through pytest's `pytest_assertion_pass` hook (which needs
  `enable_assertion_pass_hook = true` in pyproject.toml; asserts count in test modules,
  conftests and the helper modules registered with `pytest.register_assert_rewrite`);
- `pytest.raises` and `pytest.warns` blocks that got what they expected;
- `django_assert_num_queries` / `django_assert_max_num_queries` blocks;
- Playwright's `expect(...)` assertions;
- any other check that calls `asserted()` when it passes (the browser tests' axe-core run).

A test case that passes with none of these fails with "passed without asserting anything".
Benchmarks (`-m bench`) are left out: they print figures and decide nothing. Only the
test tools are wrapped, never the project's code.
"""

import contextlib
import functools
import sys

import pytest
from _pytest.assertion import rewrite

MESSAGE = "passed without asserting anything"

# Asserts pass inside the test's own thread, in the event loop of an async test, or in threads the
# test starts (sync_to_async); one counter for the running test serves them all.
_running = {"active": False, "checks": 0}


def asserted():
    """Record that the running test made a check that passed (for checks that are not `assert`)."""
    if _running["active"]:
        _running["checks"] += 1


# pytest caches rewritten test modules in __pycache__ under a name that does not say whether the
# pass hook was compiled in, so a cache written before the hook was enabled would be read back
# without it and every case would look as if it asserted nothing. A name of our own keeps the
# two apart; it applies to every module imported after this plugin (all test modules, helpers
# and conftests below tests/). `_check_rewritten` below catches anything that still slips by.
if hasattr(rewrite, "PYC_TAIL") and ".assertpass" not in rewrite.PYC_TAIL:
    rewrite.PYC_TAIL = ".assertpass" + rewrite.PYC_TAIL


def _counting_exit(original, passed):
    @functools.wraps(original)
    def __exit__(self, exc_type, exc_value, traceback):
        result = original(self, exc_type, exc_value, traceback)
        if passed(exc_type, result):
            asserted()
        return result

    return __exit__


def _wrap_pytest_raises_and_warns():
    """`pytest.raises` passes when its `__exit__` swallows the exception it expected (a wrong one
    raises); `pytest.warns` passes when its `__exit__` returns after a block that raised nothing."""
    from _pytest import raises, recwarn

    for name in ("RaisesExc", "RaisesGroup", "RaisesContext"):
        cls = getattr(raises, name, None)
        if cls is not None and "__exit__" in vars(cls):
            cls.__exit__ = _counting_exit(cls.__exit__, lambda exc_type, result: result is True)
    checker = recwarn.WarningsChecker
    checker.__exit__ = _counting_exit(checker.__exit__, lambda exc_type, result: exc_type is None)


def _wrap_django_assert_num_queries():
    fixtures = sys.modules.get("pytest_django.fixtures")
    original = getattr(fixtures, "_assert_num_queries", None)
    if original is None:
        return

    @contextlib.contextmanager
    @functools.wraps(original)
    def _assert_num_queries(*args, **kwargs):
        with original(*args, **kwargs) as context:
            yield context
        asserted()  # reached only when the count was right: pytest_django fails otherwise

    fixtures._assert_num_queries = _assert_num_queries


def _wrap_playwright_expect():
    assertions = sys.modules.get("playwright._impl.assertions")
    base = getattr(assertions, "AssertionsBase", None)
    if base is None or hasattr(base._expect_impl, "__wrapped__"):
        return
    original = base._expect_impl

    @functools.wraps(original)
    async def _expect_impl(self, *args, **kwargs):
        await original(self, *args, **kwargs)
        asserted()

    base._expect_impl = _expect_impl


def pytest_configure(config):
    if not config.getini("enable_assertion_pass_hook"):
        raise pytest.UsageError(
            "tests/assertion_check.py needs enable_assertion_pass_hook = true in pyproject.toml"
        )
    _wrap_pytest_raises_and_warns()
    _wrap_django_assert_num_queries()


def pytest_assertion_pass(item, lineno, orig, expl):
    asserted()


def _asserts_without_the_hook(code):
    """Whether `code` (or code nested in it) was rewritten by pytest without the pass hook."""
    names = code.co_names
    if "@pytest_ar" in names and "_call_assertion_pass" not in names:
        return True
    return any(
        _asserts_without_the_hook(const) for const in code.co_consts if hasattr(const, "co_names")
    )


def _loaded_without_the_hook(item):
    code = getattr(getattr(item, "obj", None), "__code__", None)
    return code is not None and _asserts_without_the_hook(code)


def pytest_collection_finish(session):
    # Browser tests import Playwright at collection; its `expect` is wrapped once it is loaded.
    _wrap_playwright_expect()
    stale = sorted(
        {
            str(item.path)
            for item in session.items
            if _applies(item) and _loaded_without_the_hook(item)
        }
    )
    if stale:
        raise pytest.UsageError(
            "These test modules were loaded from a cache rewritten without pytest's assertion "
            "pass hook, so their asserts cannot be counted; delete their __pycache__ folders:\n"
            + "\n".join(stale)
        )


def _applies(item):
    return item.get_closest_marker("bench") is None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    _running.update(active=True, checks=0)
    try:
        result = yield
    finally:
        _running["active"] = False
    # Reached only if the test passed: a failure or a skip has already propagated.
    if _applies(item) and _running["checks"] == 0:
        pytest.fail(f"{item.nodeid} {MESSAGE}", pytrace=False)
    return result
