"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

``playwright install`` is never run: the browser is the system's ``/usr/bin/chromium``
(``scripts/install-system-deps test`` installs it). Playwright's sync API keeps an event loop
running in the test thread, so Django's guard against ORM calls from async code is lifted while
a browser is open (the fixtures and assertions query the database).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives the real pages in Debian's chromium (runs in the normal suite)")


@pytest.fixture(autouse=True)
def _on_a_fixed_day(office_day):
    """The live server's "today" is the same day in every run (the browser keeps its own clock)."""


@pytest.fixture
def e2e_output(request) -> Path:
    """Where a browser test leaves its screenshots for people to look at after the run: the folder
    ``GONGKAI_E2E_OUTPUT`` names, else ``var/e2e/`` in the checkout; one folder per test, emptied first."""
    root = Path(os.environ.get("GONGKAI_E2E_OUTPUT") or Path(request.config.rootpath) / "var" / "e2e")
    directory = root / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


# Reported to the console by the page itself as well as by chromium ("Refused to …"), so a policy
# violation is caught whether or not chromium logs it.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) => console.error(
    `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${document.location.pathname}`));"""


class CspWatch:
    """Every page of every context a test opens reports its Content-Security-Policy violations here."""

    def __init__(self):
        self.violations = []

    def attach_context(self, context):
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._console)
        return context

    def _console(self, message):
        text = message.text
        if text.startswith("CSP violation") or ("Refused to" in text and "Content Security Policy" in text):
            self.violations.append(text)


class WatchedBrowser:
    """The Playwright browser, with a ``CspWatch`` on each context it makes."""

    def __init__(self, browser, watch: CspWatch):
        self._browser, self.csp = browser, watch

    def new_context(self, **options):
        return self.csp.attach_context(self._browser.new_context(**options))

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def browser(monkeypatch):
    """Chromium; the test fails if any page it opened reported a Content-Security-Policy violation."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # a dev dependency: missing, the test errors, never skips

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"没有找到 chromium（{CHROMIUM}）：请运行 scripts/install-system-deps test")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        watched = WatchedBrowser(chromium, CspWatch())
        yield watched
        chromium.close()
        assert watched.csp.violations == [], "Content-Security-Policy violations in the browser"
        # The test's ORM calls ran inside Playwright's greenlet, whose context has its own database
        # connections; pytest-django closes only its own, and PostgreSQL then refuses to drop the test
        # database while they stay open.
        connections.close_all()
