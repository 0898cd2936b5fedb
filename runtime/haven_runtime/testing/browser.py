"""Browser tests of the officers' pages: the four services as real processes, driven by Chromium.

Import the fixtures into a test module (``from haven_runtime.testing.browser import browser, suite``).
The browser is Debian's Chromium (``/usr/bin/chromium`` or ``chromium`` on PATH) driven by
Playwright's Python package with its own driver; no browser is downloaded. Where either is
missing the tests skip and say how to install them, except under ``CI=true``, where a missing
browser fails them (``.ci/run`` installs Chromium, so a skip there would hide a broken step).

Every page a test visits is checked with axe-core (``axe-playwright-python``, which bundles
it): no serious or critical violation. Screenshots go to a temporary folder; ``pytest
--update-screenshots`` writes them into ``docs/screenshots`` for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from haven_contracts.subjects import SERVICES
from haven_runtime.ops.natsserver import free_port, start_nats_server
from haven_runtime.testing import TEST_TOKEN_KEYS
from haven_runtime.web.words import raw_values

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "browser tests need Chromium and Playwright's Python package: `sudo apt-get install chromium` "
    "and `uv sync` (playwright is in the dev group; no `playwright install` needed)"
)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
UPDATE_SCREENSHOTS_ENV = "HAVEN_UPDATE_SCREENSHOTS"
# The "Exit this page" control of the GOV.UK Design System, on every page
QUICK_EXIT = "a.govuk-exit-this-page__button"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def no_browser(reason: str) -> None:
    """Skip with install advice; under CI a missing browser is a failure, not a skip."""
    message = f"{reason}; {INSTALL_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def screenshots_dir() -> Path:
    """``docs/screenshots`` when asked to update them, else a folder outside the work tree."""
    if os.environ.get(UPDATE_SCREENSHOTS_ENV) == "1":
        return SCREENSHOTS
    return Path(tempfile.gettempdir()) / "haven-screenshots"


def chromium_path() -> str | None:
    """``HAVEN_CHROMIUM`` if set (empty: no browser), else Debian's Chromium."""
    chosen = os.environ.get("HAVEN_CHROMIUM")
    if chosen is not None:
        return chosen if chosen and os.path.exists(chosen) else None
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Suite:
    urls: dict[str, str]
    data_dir: Path

    def url(self, service: str, path: str = "/") -> str:
        return self.urls[service] + path


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/health/ready", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def suite() -> Iterator[Suite]:
    """Nats-server and the four services as processes on free ports, with a fresh data directory."""
    if chromium_path() is None:
        no_browser("no Chromium found")
    root = Path(tempfile.mkdtemp(prefix="haven-browser-"))
    nats = start_nats_server(root / "jetstream", log_file=root / "nats-server.log")
    ports = {s: free_port() for s in SERVICES}
    env = {
        **os.environ,
        "HAVEN_ENV": "test",
        "HAVEN_DATA_DIR": str(root / "data"),
        "HAVEN_NATS_URL": nats.url,
        "HAVEN_TOKEN_KEYS": TEST_TOKEN_KEYS,
        "HAVEN_LOG_LEVEL": "INFO",
        **{f"HAVEN_{s.upper()}_PORT": str(p) for s, p in ports.items()},
    }
    procs: list[subprocess.Popen] = []
    try:
        for service in SERVICES:
            log = root / f"{service}.log"
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "haven_runtime.serve", service],
                    env=env,
                    stdout=log.open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
        urls = {s: f"http://127.0.0.1:{p}" for s, p in ports.items()}
        for service, proc in zip(SERVICES, procs):
            _wait_ready(urls[service], proc, root / f"{service}.log")
        yield Suite(urls=urls, data_dir=root)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        nats.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def browser():
    """A fresh headless Chromium per test: Playwright's event loop runs only while a browser test does,
    so the asyncio tests around it keep their own loops."""
    executable = chromium_path()
    if executable is None:
        no_browser("no Chromium found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("playwright is not importable")
    # Playwright gives every launch a fresh temporary profile and every context fresh storage
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


#: The widths every task is done at: a desktop and a phone (375 px)
WIDTHS = {"desktop": 1280, "phone": 375}


def new_page(browser, width: int = 1280, **options):
    """A page in a fresh context (its own cookies) ``width`` pixels wide."""
    return browser.new_context(viewport={"width": width, "height": 900}, **options).new_page()


def sign_in(page, suite: Suite, org: str, *roles: str, sub: str = "officer-1") -> None:
    """Use the development sign-in form of the options service; the cookie serves every port on 127.0.0.1."""
    page.goto(suite.url("options", "/signin"))
    page.fill("#sub", sub)
    page.select_option("#org", org)
    for box in page.locator("input[name=roles]").all():
        box.set_checked(box.get_attribute("value") in roles)
    page.click("button[type=submit]")
    page.wait_for_url(suite.url("options", "/"))


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 120))"""


#: What sticks out beyond the right edge of the screen (innermost first), to name it when a page scrolls sideways
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.querySelector('*'))
  .slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${el.className} ${el.textContent.trim().slice(0, 40)}`)"""


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(t for n in v['nodes'] for t in n['target'])}"
        for v in results
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def check_page(page) -> None:
    """Every control has an accessible name, the page has a language, one h1, a visible quick
    exit, no contracts enum value or role id shown as coded (``council_secure``, ``dv_lead``,
    ``True``; see :func:`haven_runtime.web.words.raw_values`), nothing wider than the screen
    (readable on a phone without scrolling sideways), and axe-core finds no serious or critical
    violation."""
    assert raw_values(page.content()) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        page.url,
        page.evaluate(WIDER_THAN_SCREEN),
    )
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert page.locator("h1").count() == 1
    assert page.locator(QUICK_EXIT).is_visible()
    assert axe_violations(page) == []


def screenshot(page, name: str) -> None:
    """Write ``<name>.png`` (see :func:`screenshots_dir`) after checking the page's accessibility."""
    check_page(page)
    folder = screenshots_dir()
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
