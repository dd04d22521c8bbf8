"""Interactive latency in a real browser: our app against an empty Streamlit app and a plain one-chart app, started the same way.

    python -m bench.latency [--samples airline,co2,electricity,macro]

Reports the seconds from starting the server to its health check answering; from opening the
page (a fresh browser context, nothing cached) to the first content drawn: our Data page's title
and its first chart, the empty app's one line, and the chart of a plain app that reads the same
airline CSV with pandas and shows it with st.plotly_chart (what a user would write by hand;
both pay for Streamlit's 4.7 MB Plotly bundle); and, for our app, from pressing Train with
default settings on each sample to its leaderboard.

The first chart is timed in --rounds rounds (default 5), the plain app and ours one after the other in each: a fresh
server, its first page open (the server's first run: imports, caches) and a second one (what every later visitor
waits). One open varies by a few tenths of a second from run to run, so the medians are compared.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np


VIEWPORT = {"width": 1400, "height": 1000}


def _open(url, ready_selector, page):
    started = time.perf_counter()
    page.goto(url)
    page.locator(ready_selector).first.wait_for(timeout=180_000)
    return time.perf_counter() - started


PLAIN_APP = """import pandas as pd, plotly.express as px, streamlit as st
st.title("Data")
frame = pd.read_csv(r"{csv}")
st.plotly_chart(px.line(frame, x=frame.columns[0], y=frame.columns[1]))
"""


def _serve(script, port):
    import subprocess
    import sys

    from tests.e2e.conftest import _wait_healthy

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _wait_healthy(f"http://127.0.0.1:{port}", proc)
    return proc, time.perf_counter() - started


def main(argv=None):
    import argparse

    from core.data.samples import SAMPLES, get_sample

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", default=",".join(x.key for x in SAMPLES))
    parser.add_argument("--rounds", type=int, default=5, help="fresh servers per app for the first chart's medians")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, _free_port, start_server

    results, boards = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty_app.py"
        empty.write_text('import streamlit as st\nst.write("ready")\n')
        plain = tmp / "plain_app.py"
        plain.write_text(PLAIN_APP.format(csv=get_sample("airline").path))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            proc, results["empty start"] = _serve(empty, _free_port())
            results["empty render"] = _open(f"http://127.0.0.1:{proc.args[6]}", "text=ready", browser.new_page())
            proc.terminate()
            charts = {"plain": ([], []), "ours": ([], [])}  # (first opens, second opens) per app
            titles, starts = [], []  # our Data page's title at each server's first page; our server's starts
            for __ in range(max(1, args.rounds)):
                proc, __ = _serve(plain, _free_port())
                for opens in charts["plain"]:
                    page = browser.new_page(viewport=VIEWPORT)
                    opens.append(_open(f"http://127.0.0.1:{proc.args[6]}", ".js-plotly-plot", page))
                    page.close()
                proc.terminate()
                proc.wait()
                started = time.perf_counter()
                proc, url = start_server(tmp)
                starts.append(time.perf_counter() - started)
                for which, opens in enumerate(charts["ours"]):
                    page = browser.new_page(viewport=VIEWPORT)
                    started = time.perf_counter()
                    title = _open(url, "h1", page)
                    page.locator(".js-plotly-plot").first.wait_for(timeout=180_000)
                    opens.append(time.perf_counter() - started)
                    if which == 0:  # the server's first page
                        titles.append(title)
                    page.close()
                proc.terminate()
                proc.wait()
            results.update({f"{app} chart {which}": float(np.median(opens)) for app, pair in charts.items()
                            for which, opens in zip(("first", "later"), pair)})
            results["ours title"], results["ours start"] = float(np.median(titles)), float(np.median(starts))
            proc, url = start_server(tmp)
            for key in [k for k in args.samples.split(",") if k]:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(url)
                page.locator(".js-plotly-plot").first.wait_for(timeout=180_000)
                page.get_by_role("combobox").first.click()
                page.get_by_role("option", name=get_sample(key).title).click()
                page.wait_for_timeout(1500)
                page.locator(".js-plotly-plot").first.wait_for(timeout=180_000)
                page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Train").click()
                page.get_by_role("button", name="Train models").wait_for()
                started = time.perf_counter()
                page.get_by_role("button", name="Train models").click()
                page.get_by_text("Leaderboard so far").wait_for(timeout=1_800_000)
                first = time.perf_counter() - started
                page.get_by_text("Leaderboard (test part)").wait_for(timeout=1_800_000)
                boards[key] = (first, time.perf_counter() - started)
                page.close()
            proc.terminate()
            browser.close()
    print(f"server start to healthy:   ours {results['ours start']:.1f} s (median), empty app {results['empty start']:.1f} s, "
          f"ratio {results['ours start'] / results['empty start']:.2f}x")
    print(f"page open to first content: ours {results['ours title']:.1f} s (Data page title, median), empty app "
          f"{results['empty render']:.1f} s, ratio {results['ours title'] / results['empty render']:.2f}x")
    rounds = len(charts["ours"][0])
    for which, words in (("first", "the server's first page"), ("later", "a later page")):
        ours, theirs = results[f"ours chart {which}"], results[f"plain chart {which}"]
        print(f"page open to first chart, {words}: ours {ours:.2f} s (Data page, airline), plain one-chart app {theirs:.2f} s, "
              f"ratio {ours / theirs:.2f}x (medians of {rounds} fresh servers each)")
    for key, (first, seconds) in boards.items():
        print(f"Train pressed to leaderboard, {key}, default settings (5 models incl. LSTM): the first models' {first:.1f} s, "
              f"all five {seconds:.1f} s")
    results["leaderboards"] = boards
    return results


if __name__ == "__main__":
    main()
