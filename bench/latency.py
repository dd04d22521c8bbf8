"""Interactive latency in a real browser: our app against an empty Streamlit app started the same way.

    python -m bench.latency

Reports the seconds from starting the server to its health check answering, from opening the
page to the first content drawn (our Data page: the first chart; the empty app: its one line),
and, for our app, from pressing Train with default settings on the airline sample to the leaderboard.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path


def _open(url, ready_selector, page):
    started = time.perf_counter()
    page.goto(url)
    page.locator(ready_selector).first.wait_for(timeout=180_000)
    return time.perf_counter() - started


def main(argv=None):
    import subprocess

    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, _free_port, _wait_healthy, start_server

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty_app.py"
        empty.write_text('import streamlit as st\nst.write("ready")\n')
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            # the empty app
            port = _free_port()
            started = time.perf_counter()
            import sys

            proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(empty), "--server.port", str(port),
                                     "--server.address", "127.0.0.1", "--server.headless", "true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _wait_healthy(f"http://127.0.0.1:{port}", proc)
            results["empty start"] = time.perf_counter() - started
            results["empty render"] = _open(f"http://127.0.0.1:{port}", "text=ready", browser.new_page())
            proc.terminate()
            # our app
            started = time.perf_counter()
            proc, url = start_server(tmp)
            results["ours start"] = time.perf_counter() - started
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            results["ours render"] = _open(url, ".js-plotly-plot", page)
            page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Train").click()
            page.get_by_role("button", name="Train models").wait_for()
            started = time.perf_counter()
            page.get_by_role("button", name="Train models").click()
            page.get_by_text("Leaderboard (test part)").wait_for(timeout=600_000)
            results["first leaderboard"] = time.perf_counter() - started
            proc.terminate()
            browser.close()
    print(f"server start to healthy:   ours {results['ours start']:.1f} s, empty app {results['empty start']:.1f} s, "
          f"ratio {results['ours start'] / results['empty start']:.2f}x")
    print(f"page open to first render: ours {results['ours render']:.1f} s (Data page with its charts), empty app "
          f"{results['empty render']:.1f} s, ratio {results['ours render'] / results['empty render']:.2f}x")
    print(f"Train pressed to leaderboard, airline sample, default settings (5 models incl. LSTM): {results['first leaderboard']:.1f} s")
    return results


if __name__ == "__main__":
    main()
