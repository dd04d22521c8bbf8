"""A live Streamlit server on a free loopback port and Debian's Chromium driven by Playwright.

Outside CI the browser tests are skipped (with the reason) when /usr/bin/chromium is
missing; in CI (.ci/run installs it) a missing browser is a failure, never a skip.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


def start_server(tmp_path: Path, extra_env: dict | None = None, extra_args=(), port: int | None = None):
    port = port or _free_port()
    env = dict(os.environ, LSTM_LENS_HOME=str(tmp_path / "home"), TF_CPP_MIN_LOG_LEVEL="3", **(extra_env or {}))
    log = open(tmp_path / "server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra_args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, process)
    return process, url


@pytest.fixture
def server(tmp_path):
    process, url = start_server(tmp_path)
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI; .ci/run should have installed Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); browser tests skipped outside CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.http_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: page.http_errors.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def go(page, name: str) -> None:
    """Open a page from the sidebar and wait for its script run to finish."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name).click()
    wait_idle(page)


TRAIN_WORDS = {"page": "Train", "settings": "LSTM and GRU settings", "epochs": "Max epochs", "units": "Units per layer",
               "button": "Train models", "done": "Leaderboard (test part)"}


def train_small(page, epochs: str = "4", units: str = "8", words: dict = TRAIN_WORDS) -> None:
    """Open Train, make the networks small, train the default models and wait for the leaderboard (``words``: the
    page's labels in the language it is shown in)."""
    go(page, words["page"])
    page.get_by_text(words["settings"]).click()
    page.get_by_role("spinbutton", name=words["epochs"]).fill(epochs)
    page.get_by_role("spinbutton", name=words["units"]).fill(units)
    page.get_by_role("button", name=words["button"]).click()
    page.get_by_text(words["done"]).wait_for(timeout=300_000)
    wait_idle(page)


def wait_idle(page, timeout: float = 120_000) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


# Streamlit itself probes <page>/_stcore/health and host-config when a page URL is loaded directly
# (a refresh on a sub-page); those 404s come from its base-path detection, not from this app.
STREAMLIT_PROBES = ("/_stcore/health", "/_stcore/host-config")


def real_console_errors(page) -> list[str]:
    probes = [url for status, url in page.http_errors if status == 404 and url.endswith(STREAMLIT_PROBES)]
    others = [url for status, url in page.http_errors if url not in probes]
    errors = list(page.console_errors)
    for _ in probes:
        generic = "Failed to load resource: the server responded with a status of 404 (Not Found)"
        if generic in errors:
            errors.remove(generic)
    return errors + [f"HTTP error on {url}" for url in others]


def assert_no_exception(page) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, boxes.first.inner_text()


def platform_fonts(page, selector: str) -> dict[str, int]:
    """The fonts Chromium really drew the elements matching ``selector`` with, and how many glyphs each
    (DevTools' CSS.getPlatformFontsForNode): a missing Korean font shows here, not in the page's text."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    fonts: dict[str, int] = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            fonts[font["familyName"]] = fonts.get(font["familyName"], 0) + int(font["glyphCount"])
    cdp.detach()
    return fonts


def korean_font_installed() -> bool:
    """Whether fontconfig knows a font with Korean glyphs (fonts-noto-cjk, which .ci/run installs)."""
    try:
        return bool(subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True, timeout=30).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return False
