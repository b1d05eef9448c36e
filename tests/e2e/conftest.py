"""Real-browser fixtures: Debian's Chromium driven by Playwright, with axe-core on every page.

Every page a test opens goes through a `Browsing` (the `browse` fixture): after each navigation it
runs axe-core and fails on any violation. A page that loads without being checked fails the test at
teardown, so nothing slips past. The pages checked are listed at the end of the run.

Each page checked is also saved as served (the body of its response, not the browser's DOM), and the
last browser test (test_valid_html.py) runs the Nu Html Checker over them all.
"""

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from tests.assertion_check import asserted
from tests.e2e.layout import CLIPPED_TABLES, LAPTOP

CHROMIUM = "/usr/bin/chromium"
NO_CHROMIUM = "Debian's Chromium is not installed at /usr/bin/chromium"
CHROMIUM_ARGS = [
    # Nothing but the live server on 127.0.0.1 can be reached.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
    "--disable-background-networking",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).parent

# (test id, URL, page title) of every page axe-core checked, for the summary at the end.
CHECKED_PAGES = []

# The last browser test: it checks the HTML of the pages all the others opened.
NU_CHECK = "test_valid_html.py::test_every_page_the_browser_tests_opened_is_valid_html"


@dataclass
class SavedPage:
    """A page as served, saved for the Nu Html Checker; one file per distinct URL and content."""

    path: Path
    url: str
    test_ids: list = field(default_factory=list)


# Keyed by file name; `NU_RESULT` is filled in by the Nu check for the summary.
SAVED_PAGES = {}
NU_RESULT = {}


def is_e2e(item):
    return item is not None and E2E_DIR in item.path.parents


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Skip without Chromium; otherwise run the browser tests last, together (see Chromium)."""
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=NO_CHROMIUM)
        for item in items:
            if is_e2e(item):
                item.add_marker(skip)
    items[:] = (
        [item for item in items if not is_e2e(item)]
        + [item for item in items if is_e2e(item) and not item.nodeid.endswith(NU_CHECK)]
        + [item for item in items if is_e2e(item) and item.nodeid.endswith(NU_CHECK)]
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # the test's fixtures (and its browser contexts) are torn down first
    if is_e2e(item) and not is_e2e(nextitem):
        CHROMIUM_RUN.stop()


def pytest_sessionfinish(session):
    CHROMIUM_RUN.stop()


def pytest_terminal_summary(terminalreporter):
    if not CHECKED_PAGES:
        return
    terminalreporter.section(f"axe-core found no violations on these {len(CHECKED_PAGES)} pages")
    for test_id, url, title in CHECKED_PAGES:
        terminalreporter.write_line(f"{test_id}: {url}  ({title})")
    if not SAVED_PAGES:
        return
    urls = len({page.url for page in SAVED_PAGES.values()})
    pages = f"{len(SAVED_PAGES)} pages as served ({urls} distinct URLs)"
    if "errors" not in NU_RESULT:
        why = NU_RESULT.get("skipped", f"{NU_CHECK} did not run")
        terminalreporter.section("Nu Html Checker: not run", yellow=True)
        terminalreporter.write_line(
            f"{pages} saved in {NU_RESULT.get('dir', '')}, NOT checked: {why}"
        )
        return
    errors = NU_RESULT["errors"]
    if errors:
        failing = len({error.path for error in errors})
        terminalreporter.section(
            f"Nu Html Checker found {len(errors)} error(s) on {failing} of {pages}", red=True
        )
        terminalreporter.write_line(f"(listed in the failure of {NU_CHECK} above)")
    else:
        terminalreporter.section(f"Nu Html Checker found no error on {pages}")
        terminalreporter.write_line(f"(saved in {NU_RESULT.get('dir', '')})")


# --- Browser ---------------------------------------------------------------------------------


class Chromium:
    """One Chromium for the run of browser tests, started by the first and stopped after the last.

    Playwright's sync API keeps an asyncio loop marked as running in this thread while it is
    started, so Django's ORM calls from the test need DJANGO_ALLOW_ASYNC_UNSAFE, and other suites'
    async tests would fail. Both are therefore confined to the browser tests: the variable is set
    only while Chromium runs (a deploy check in another suite must not inherit it).
    """

    def __init__(self):
        self.playwright = None
        self.browser = None

    def get(self):
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        return self.browser

    def stop(self):
        if self.playwright is None:
            return
        try:
            self.browser.close()
            self.playwright.stop()
        finally:
            self.playwright = self.browser = None
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


CHROMIUM_RUN = Chromium()


@pytest.fixture
def browser():
    return CHROMIUM_RUN.get()


@pytest.fixture(scope="session")
def saved_html_dir(tmp_path_factory):
    """Where this run saves the pages it opens, for the Nu Html Checker."""
    directory = tmp_path_factory.mktemp("served-html")
    NU_RESULT["dir"] = directory
    return directory


@pytest.fixture
def browse(browser, live_server, transactional_db, request, saved_html_dir):
    """A factory of fresh browser contexts (no shared cookies), each wrapped in a Browsing."""
    opened = []

    def open_context(**context_options):
        context_options.setdefault("viewport", LAPTOP)
        context = browser.new_context(base_url=live_server.url, **context_options)
        # The WSGI test server cannot answer the pages' WebSocket; answered here, its retries do
        # not become signed-in requests that race the next page on SQLite's shared database.
        context.route_web_socket("**/ws/**", lambda socket: None)
        browsing = Browsing(
            context, base_url=live_server.url, test_id=request.node.name, html_dir=saved_html_dir
        )
        opened.append(browsing)
        return browsing

    yield open_context
    unchecked = []
    for browsing in opened:
        unchecked += browsing.unchecked()
        browsing.context.close()
    assert not unchecked, f"Pages loaded without an axe-core check: {unchecked}"


class Browsing:
    """One browser context and its page, with axe-core run after every navigation (and the page
    saved as served, for the Nu Html Checker)."""

    def __init__(self, context, base_url, test_id, html_dir):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.test_id = test_id
        self.html_dir = html_dir
        self.loaded = []
        self.checked = []
        self.document = None  # the response that brought the page now shown
        self.page.on("framenavigated", self._navigated)
        self.page.on("response", self._responded)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.loaded.append(frame.url)

    def _responded(self, response):
        request = response.request
        if (
            request.is_navigation_request()
            and request.frame == self.page.main_frame
            and not 300 <= response.status < 400
        ):
            self.document = response

    def unchecked(self):
        return [url for url in self.loaded if url not in self.checked]

    def goto(self, url, status=200):
        """Open a URL as if typed into the address bar, check its status and run axe-core."""
        response = self.page.goto(url)
        assert response is not None and response.status == status, (
            f"{url}: expected {status}, got {response and response.status}"
        )
        self.check()
        return response

    def press(self, key="Enter", status=200):
        """Press a key that leads to a new page (follow a link, submit a form); check that page."""
        return self.follow(lambda: self.page.keyboard.press(key), status=status)

    def follow(self, action, status=200):
        """Do something that leads to a new page, wait for it, check its status, run axe-core."""
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        assert response is not None and response.status == status, (
            f"{self.page.url}: expected {status}, got {response and response.status}"
        )
        self.page.wait_for_load_state("load")
        self.check()
        return response

    def check(self):
        self.checked.append(self.page.url)
        axe_check(self.page)
        self.check_tables_fit()
        CHECKED_PAGES.append((self.test_id, self.page.url, self.page.title()))
        self.save_html()

    def check_tables_fit(self):
        """On a laptop's width (the default here) no table is cut off: each fits its box, or the
        box is the keyboard-focusable region that says it scrolls. Folded tables are opened."""
        if (self.page.viewport_size or {}).get("width", 0) < LAPTOP["width"]:
            return
        clipped = self.page.evaluate(CLIPPED_TABLES)
        assert not clipped, f"{self.page.url}: tables cut off at a laptop's width: {clipped}"

    def save_html(self):
        """Save the page as the server sent it: the body of the response that brought it (pages
        changed in place since, by live updates, are not documents and are not saved)."""
        response = self.document
        url = urldefrag(self.page.url).url
        assert response is not None and urldefrag(response.url).url == url, (
            f"{url}: no response for the page to save for the Nu Html Checker"
        )
        if "text/html" not in (response.header_value("content-type") or ""):
            return
        body = response.body()
        name = re.sub(r"[^A-Za-z0-9]+", "-", url.removeprefix(self.base_url)).strip("-")
        name = f"{name[:80] or 'home'}-{hashlib.sha256(body).hexdigest()[:10]}.html"
        if name not in SAVED_PAGES:
            (self.html_dir / name).write_bytes(body)
            SAVED_PAGES[name] = SavedPage(path=self.html_dir / name, url=url)
        if self.test_id not in SAVED_PAGES[name].test_ids:
            SAVED_PAGES[name].test_ids.append(self.test_id)

    def sign_in_as(self, client, user):
        """Skip the sign-in pages: log in through Django's test client and carry the cookie over."""
        from django.conf import settings

        from tests.conftest import sign_in_recently

        sign_in_recently(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": self.base_url,
                }
            ]
        )


# --- axe-core --------------------------------------------------------------------------------


def axe_check(page):
    """Run axe-core on the page as it is now; fail listing every violation if there is any."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                target = " ".join(str(part) for part in node["target"])
                summary = " / ".join(node.get("failureSummary", "").splitlines()[1:])
                lines.append(f"    at {target}: {summary}".rstrip(": "))
        pytest.fail("\n".join(lines), pytrace=False)
    asserted()  # a page that passes axe-core is a check that passed (tests/assertion_check.py)


# --- The Nu Html Checker -----------------------------------------------------------------------


def nu_report(errors):
    """The checker's errors by message, each with the page's URL, line and what is there (the same
    error on the same page saved more than once, in other states, is shown once)."""
    by_path = {page.path.resolve(): page for page in SAVED_PAGES.values()}
    failing = len({error.path for error in errors})
    lines = [
        f"The Nu Html Checker found {len(errors)} error(s) on {failing} of the "
        f"{len(SAVED_PAGES)} pages saved (in {NU_RESULT.get('dir')}):"
    ]
    messages = {}
    for error in errors:
        messages.setdefault(error.message, []).append(error)
    for message, found in sorted(messages.items(), key=lambda item: -len(item[1])):
        lines.append(f"- {message}")
        places = {}
        for error in found:
            page = by_path.get(error.path)
            url = page.url if page else str(error.path)
            places.setdefault((url, error.line), []).append((error, page))
        for (url, line), occurrences in places.items():
            error, page = occurrences[0]
            extract = " ".join(error.extract.split())[:120]
            saved = f"{len(occurrences)} saves" if len(occurrences) > 1 else error.path.name
            opened_by = f"opened by {page.test_ids[0]}; " if page else ""
            lines.append(f"    {url} line {line}: {extract}  ({opened_by}{saved})")
    return lines


# --- Keyboard --------------------------------------------------------------------------------


def _is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, max_tabs=60, backwards=False):
    """Press Tab (or Shift+Tab) until `locator` has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_tabs):
        if _is_focused(locator):
            return
        page.keyboard.press(key)
    if not _is_focused(locator):
        focused = page.evaluate(
            "() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)"
        )
        pytest.fail(
            f"Could not reach {locator} with {max_tabs} presses of {key}; focus is on {focused}",
            pytrace=False,
        )


def type_into(page, locator, text, max_tabs=60):
    """Tab to a field and type, the way a keyboard user fills it in."""
    tab_to(page, locator, max_tabs=max_tabs)
    page.keyboard.type(text)


# --- Email -----------------------------------------------------------------------------------


def last_mail_to(address):
    from django.core import mail

    for message in reversed(mail.outbox):
        if address in message.to:
            return message
    pytest.fail(f"No email was sent to {address}", pytrace=False)


def code_in(message):
    """The one-time code, on its own indented line of a sign-in email."""
    found = re.search(r"^ {4}([A-Z0-9]{4,8}(?:-[A-Z0-9]{3,8})?)$", message.body, re.MULTILINE)
    if not found:
        pytest.fail(f"No code in the email:\n{message.body}", pytrace=False)
    return found.group(1)


def link_in(message, pattern=r"https?://\S+/invitations/\S+/"):
    found = re.search(pattern, message.body)
    assert found, f"No link in the email:\n{message.body}"
    return found.group(0)


# --- Live updates: an ASGI server that also serves the pages' WebSockets ----------------------

# Counts the live connections a page has opened (htmx's ws extension fires htmx:wsOpen on #live).
COUNT_LIVE_CONNECTIONS = """
document.addEventListener('htmx:wsOpen', function () {
  window.liveConnectionsOpened = (window.liveConnectionsOpened || 0) + 1;
});
"""


@pytest.fixture(scope="session")
def asgi_live_server(django_db_setup, django_db_blocker):
    """One Daphne for the session, in a thread of this process (see asgi_server.py)."""
    from .asgi_server import AsgiLiveServer

    server = AsgiLiveServer()
    server.start()
    yield server
    with django_db_blocker.unblock():
        server.stop()


@pytest.fixture
def browse_live(browser, asgi_live_server, transactional_db, request, saved_html_dir):
    """Like `browse`, against the ASGI live server, so pages get their live updates."""
    opened = []

    def open_context(**context_options):
        context_options.setdefault("viewport", LAPTOP)
        context = browser.new_context(base_url=asgi_live_server.url, **context_options)
        context.add_init_script(script=COUNT_LIVE_CONNECTIONS)
        browsing = Browsing(
            context,
            base_url=asgi_live_server.url,
            test_id=request.node.name,
            html_dir=saved_html_dir,
        )
        opened.append(browsing)
        return browsing

    yield open_context
    unchecked = []
    for browsing in opened:
        unchecked += browsing.unchecked()
        browsing.context.close()
    # Let the server finish with the closed sockets before the database is emptied.
    asgi_live_server.wait_until_idle()
    assert not unchecked, f"Pages loaded without an axe-core check: {unchecked}"


def wait_until_live(page, timeout=10_000):
    """Wait until the page's live connection (its WebSocket) is open."""
    page.wait_for_function("() => window.liveConnectionsOpened >= 1", timeout=timeout)
