"""Acceptance: the apps depend on each other only in the directions DESIGN.md allows.

`evidence`, `deliberate` and `voting` build on `juries`; `deliberate` and `voting` may use
`evidence`; `voting` may use `deliberate`, never the reverse; `juries` uses none of them. "Uses"
is any of:

- a Python import (`import voting.tally`, `from voting.models import ...`; relative imports stay
  inside their own package);
- a model named by its label ("voting.recommendation", in a ForeignKey, `apps.get_model()` or a
  subject label), or a module by its dotted path (`import_module("voting.tally")`);
- a URL name ("voting:responses", in `reverse()`, `redirect()` or `{% url %}`);
- a template path ("voting/...", in `render()`, `{% include %}` or `{% extends %}`);
- a template tag library (`{% load answers %}`), owned by the app whose `templatetags/` holds it.

Where a lower app must show something of a higher one, the higher app registers it (thread
subjects, next steps, jury sections, parts of pages, clean-up on account deletion).

Whose file it is: a Python file belongs to its top-level folder (so `juries/selection/` is
juries), a template under `templates/<app>/` to that app (`templates/admin/<app>/` too). The other
templates (`components/`, `account/`, `allauth/`, the error pages) are the shared layout that
every app's pages use, so they are held to the lowest level, juries'.

Exempt, because they are the project's wiring, which knows every app: the settings, root URLs,
ASGI application and WebSocket routing, the demo seeding command, and `templates/base.html` (the
site's frame, whose main navigation links to the register of systems as the root URLs do; one
link does not need a registry).
"""

import ast
import importlib.util
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# Each app, and the apps it may use (besides itself).
MAY_USE = {
    "juries": set(),
    "evidence": {"juries"},
    "deliberate": {"juries", "evidence"},
    "voting": {"juries", "evidence", "deliberate"},
    "evaluation": {"juries"},
}
APPS = set(MAY_USE)

WIRING = {
    "deliberate/settings.py",
    "deliberate/urls.py",
    "deliberate/asgi.py",
    "deliberate/routing.py",
    "deliberate/management/commands/seed_demo.py",
    "templates/base.html",
}

# The four apps' URL namespaces are their labels.
URL_NAME = re.compile(r"^(\w+):[\w-]+$")
TEMPLATE_PATH = re.compile(r"^(\w+)/[\w./-]+$")
DOTTED = re.compile(r"^(\w+)((?:\.\w+)+)(?::.*)?$")

TEMPLATE_TAG = re.compile(r"{%-?\s*(load|url|include|extends)\s+(.*?)\s*-?%}")
QUOTED = re.compile(r"""["']([^"'\s]+)["']""")


# --- What a file uses ---------------------------------------------------------------------------


def _is_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError, AttributeError):
        return False


def _models_of(app):
    return {model._meta.model_name for model in apps.get_app_config(app).get_models()}


def app_named_by(text):
    """The app a string names as a model label, module path, URL name or template path; or None.
    Prose that merely starts with an app's name ("deliberate.demo-sign-in") names none."""
    for pattern in (URL_NAME, TEMPLATE_PATH):
        match = pattern.match(text)
        if match and match.group(1) in APPS:
            return match.group(1)
    match = DOTTED.match(text)
    if match and match.group(1) in APPS:
        app, rest = match.group(1), match.group(2)
        if rest.count(".") == 1 and rest[1:].lower() in _models_of(app):
            return app
        if ":" not in text and _is_module(app + rest):
            return app
    return None


def _docstrings(tree):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def python_uses(source):
    """(line, app, what) for every app a Python source imports or names in a string."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        else:
            names = []
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                uses.append((node.lineno, top, f"import {name}"))
        if isinstance(node, ast.Call) and _call_name(node) == "get_model" and len(node.args) == 2:
            first = node.args[0]
            if isinstance(first, ast.Constant) and first.value in APPS:
                uses.append((node.lineno, first.value, f"get_model({first.value!r}, ...)"))
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            app = app_named_by(node.value)
            if app:
                uses.append((node.lineno, app, repr(node.value)))
    return sorted(uses, key=lambda use: use[0])


def _call_name(call):
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def tag_libraries():
    """Template tag library name -> the app whose templatetags/ folder holds it."""
    return {
        path.stem: path.parent.parent.name
        for app in APPS
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def template_uses(text, libraries):
    """(line, app, what) for every app a template loads tags of or names (URL, template, label)."""
    uses = []
    for match in TEMPLATE_TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        tag, rest = match.groups()
        if tag == "load":
            words = rest.split()
            names = words[-1:] if "from" in words else words
            uses += [(line, libraries[n], f"load {n}") for n in names if n in libraries]
    for match in QUOTED.finditer(text):
        app = app_named_by(match.group(1))
        if app:
            line = text.count("\n", 0, match.start()) + 1
            uses.append((line, app, repr(match.group(1))))
    return sorted(uses, key=lambda use: use[0])


def forbidden(app, uses):
    return [(line, used, what) for line, used, what in uses if used not in MAY_USE[app] | {app}]


# --- Whose file it is ---------------------------------------------------------------------------


def app_of_python(path):
    return path.relative_to(ROOT).parts[0]


def app_of_template(path):
    parts = path.relative_to(TEMPLATES).parts
    if parts[0] in APPS:
        return parts[0]
    if parts[0] == "admin" and len(parts) > 2 and parts[1] in APPS:
        return parts[1]
    return "juries"  # the shared layout: components, account pages, error pages


def _exempt(path):
    return path.relative_to(ROOT).as_posix() in WIRING


def python_files():
    return sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if not _exempt(p))


def template_files():
    return sorted(
        p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt") and not _exempt(p)
    )


# --- The rules ------------------------------------------------------------------------------------


def test_no_python_module_uses_an_app_it_may_not():
    files = python_files()
    assert len(files) > 150  # every app's modules were found
    found = []
    for path in files:
        app = app_of_python(path)
        for line, used, what in forbidden(app, python_uses(path.read_text())):
            found.append(f"{path.relative_to(ROOT)}:{line}: {app} uses {used} ({what})")
    assert found == []


def test_no_template_uses_an_app_it_may_not():
    libraries = tag_libraries()
    assert {"answers", "citations", "ui", "post_text"} <= set(libraries)
    files = template_files()
    assert len(files) > 150
    found = []
    for path in files:
        app = app_of_template(path)
        for line, used, what in forbidden(app, template_uses(path.read_text(), libraries)):
            found.append(f"{path.relative_to(ROOT)}:{line}: {app} uses {used} ({what})")
    assert found == []


# --- The checker finds what it must (so the rules above cannot pass by checking nothing) --------


def test_the_checker_reports_every_kind_of_python_use():
    source = '''
"""A docstring may mention voting.recommendation and voting:responses."""
import voting.tally
from voting.models import Recommendation
from deliberate import threads
from .models import Jury
from ..permissions import Action
apps.get_model("voting.recommendation")
apps.get_model("voting", "Recommendation")
models.ForeignKey("deliberate.Post", on_delete=models.CASCADE)
reverse("voting:responses", args=[slug])
render(request, "voting/reports/verify.html")
import_module("voting.tally")
about = "voting.response:12"
salt = "deliberate.demo-sign-in"
'''
    reported = [what for _line, _app, what in forbidden("juries", python_uses(source))]
    assert reported == [
        "import voting.tally",
        "import voting.models",
        "import deliberate",
        "'voting.recommendation'",
        "get_model('voting', ...)",
        "'deliberate.Post'",
        "'voting:responses'",
        "'voting/reports/verify.html'",
        "'voting.tally'",
        "'voting.response:12'",
    ]
    assert forbidden("voting", python_uses(source)) == []
    assert len(forbidden("evidence", python_uses(source))) == len(reported)


def test_the_checker_reports_every_kind_of_template_use():
    libraries = tag_libraries()
    text = """{% extends "base.html" %}
{% load i18n ui answers %}{% load cited_by from citations %}
<a href="{% url 'voting:report' jury.slug %}">{% url "deliberate:threads" jury.slug %}</a>
{% include "voting/responses/_answer.html" %}{% include "components/empty.html" %}
<a href="{% url 'deliberate:discuss' jury.slug 'voting.recommendation' rec.pk %}"></a>
"""
    reported = [
        (line, what) for line, _app, what in forbidden("evidence", template_uses(text, libraries))
    ]
    assert reported == [
        (2, "load answers"),
        (2, "load citations"),
        (3, "'voting:report'"),
        (3, "'deliberate:threads'"),
        (4, "'voting/responses/_answer.html'"),
        (5, "'deliberate:discuss'"),
        (5, "'voting.recommendation'"),
    ]
    assert forbidden("voting", template_uses(text, libraries)) == []


def test_templates_and_modules_belong_to_their_folder():
    assert app_of_python(ROOT / "juries" / "selection" / "draw.py") == "juries"
    assert app_of_python(ROOT / "evidence" / "views" / "packs.py") == "evidence"
    assert app_of_template(TEMPLATES / "voting" / "drafting" / "list.html") == "voting"
    assert app_of_template(TEMPLATES / "admin" / "juries" / "x.html") == "juries"
    assert app_of_template(TEMPLATES / "components" / "jury_nav.html") == "juries"
    assert app_of_template(TEMPLATES / "account" / "profile.html") == "juries"
