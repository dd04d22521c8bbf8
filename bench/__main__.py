"""make bench: every benchmark side by side, printed and written to bench/last_run.md with the machine they ran on.

BENCHMARKS.md is the curated record (each figure with its command, date and machine, and what was tried and not kept);
a run does not overwrite it: compare bench/last_run.md with it and carry over what changed, with the machine.

    python -m bench [--m4-models naive,snaive,naive2,regression,global_lstm] [--skip-m4]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def processor() -> str:
    """The CPU's model name as the kernel reports it (platform.processor() is often empty or only "x86_64" on Linux)."""
    with contextlib.suppress(OSError, StopIteration):
        return next(line for line in open("/proc/cpuinfo") if line.startswith("model name")).split(":", 1)[1].strip()
    return platform.processor() or "unnamed CPU"


def machine() -> str:
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 2**20:.0f} GiB memory"
    return f"{processor()} ({platform.machine()}), {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def main(argv=None) -> int:
    from bench import arima_compare, gates_replay, global_lstm, growth, gru_vs_lstm, hostile_inputs, latency, lstm_training, m4

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--m4-models", default="naive,snaive,naive2,regression,global_lstm")
    parser.add_argument("--skip-m4", action="store_true")
    parser.add_argument("--skip-arima", action="store_true", help="skip the pmdarima / statsforecast comparison")
    args = parser.parse_args(argv)
    sections = []
    for title, run in [("Gate replay", lambda: gates_replay.main([])),
                       ("LSTM training: ours vs a plain Keras script", lambda: lstm_training.main([])),
                       ("GRU beside the LSTM (default settings, the four samples)", lambda: gru_vs_lstm.main([])),
                       ("Interactive latency", lambda: latency.main([])),
                       ("Growth: time and memory as series lengthen and multiply", lambda: growth.main([])),
                       ("Hostile inputs: seconds to refusal and peak memory", lambda: hostile_inputs.main([])),
                       ("Global LSTM vs one LSTM per series (M4 Hourly)", lambda: global_lstm.main([])),
                       *([] if args.skip_arima else [("Auto-ARIMA: ours vs pmdarima vs statsforecast", lambda: arima_compare.main([]))]),
                       *([] if args.skip_m4 else [("M4 Hourly through the batch CLI", lambda: m4.main(["--models", args.m4_models])),
                                                 ("M4 Weekly through the batch CLI", lambda: m4.main(["--frequency", "weekly"]))])]:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            run()
        print(f"== {title}\n{buffer.getvalue()}")
        sections.append(f"## {title}\n\n```\n{buffer.getvalue().rstrip()}\n```\n")
    text = f"# Benchmarks: the last full run\n\nMachine: {machine()}. Written by `make bench`.\n\n" + "\n".join(sections)
    (ROOT / "bench" / "last_run.md").write_text(text, encoding="utf-8")
    print(f"wrote {ROOT / 'bench' / 'last_run.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
