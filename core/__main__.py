"""Headless command line: python -m core {forecast,batch} ...

Bad input prints one line on stderr and exits with status 2; never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        sys.stderr.write(f"error: {message} (see python -m core {self.prog.split()[-1] if ' ' in self.prog else ''} --help)\n")
        sys.exit(2)


def _keys(text: str, known) -> list[str]:
    keys = [k.strip().lower() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown model(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    if not keys:
        raise argparse.ArgumentTypeError("name at least one model")
    return keys


def _bounded(kind, low, high, what: str, hint: str = ""):
    """An argparse type: a number of ``kind`` from ``low`` to ``high``, refused in one line otherwise (NaN included)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text[:20]}' is not {what}{hint}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text[:20]} is outside {low} to {high}{hint}")
        return value
    return parse


_level = _bounded(float, 0.5, 0.99, "a number", "; give the interval level as a share, e.g. 0.9 for 90%")
_count = _bounded(int, 0, 256, "a whole number")
_steps = _bounded(int, 1, 100_000, "a whole number")
_tune_seconds = _bounded(float, 1, 3600, "a number of seconds")  # horizon, season, test part: the bundle schema's bound too


def _models(text: str) -> list[str]:
    from core.models import series_models

    return _keys(text, series_models())


def _batch_models(text: str) -> list[str]:
    from core.models import REGISTRY

    return _keys(text, list(REGISTRY))


def _read(path: str, decimal: str | None = None):
    from core.data import read_table
    from core.errors import DataError
    from core.i18n import Text

    file = Path(path)
    if not file.is_file():
        raise DataError(Text("There is no file '{path}'. Check the path.", path=path))
    frame = read_table(file.read_bytes(), file.name, decimal)
    for note in frame.attrs.get("read_notes", []):
        print(f"  reading: {note}", file=sys.stderr)
    return frame


def _out_dir(path: str) -> Path:
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _print_table(frame, columns):
    import pandas as pd

    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.float_format", "{:.4g}".format):
        print(frame[[c for c in columns if c in frame.columns]].to_string(index=False))


def cmd_forecast(args) -> int:
    from core.data import detect_columns, to_series
    from core.evaluation.holdout import ModelSpec
    from core.models import import_needs
    from core.runs.exports import safe_csv
    from core.runs.records import Dataset
    from core.training import RunSettings, forecast_future, future_frame, train_run

    frame = _read(args.file, args.decimal)
    guess = detect_columns(frame)
    date = args.date or guess.date
    target = args.target or guess.target
    covariates = [c.strip() for c in args.covariates.split(",")] if args.covariates else []
    clean = to_series(frame, date=date, target=target, covariates=covariates)
    settings = RunSettings(test_size=args.test_size or args.horizon, horizon=args.horizon, season=args.season or clean.season,
                           level=args.level, tune_seconds=args.tune or 0.0)
    where = f"by '{date}'" if date else "on steps 1, 2, 3 …"
    print(f"{Path(args.file).name}: '{target}' {where}, {len(clean.y):,} points, frequency {clean.freq}, season {settings.season}; "
          f"test part {settings.test_size}, horizon {args.horizon}", file=sys.stderr)
    for line in clean.report:
        print(f"  cleaning: {line}", file=sys.stderr)

    started = time.perf_counter()
    import_needs(args.models)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    dataset = Dataset(name=Path(args.file).name, digest="", clean=clean, settings={"date": date, "target": target})
    run = train_run(dataset, [ModelSpec(k) for k in args.models], settings)
    board = run.evaluation.leaderboard()
    forecasts = run.evaluation.forecasts_frame()
    forecasts.insert(0, "part", "test")
    if args.future:
        import pandas as pd

        future, _ = forecast_future(run)
        forecasts = pd.concat([forecasts, future_frame(future).assign(part="future")], ignore_index=True)
    out = _out_dir(args.out)
    (out / "forecasts.csv").write_bytes(safe_csv(forecasts))
    (out / "metrics.csv").write_bytes(safe_csv(board.drop(columns=["key"])))
    if run.tuning:
        _report_tuning(run.tuning, out)
    _print_table(board, ["model", "MASE", "sMAPE", "RMSE", "coverage", "skill vs seasonal naive", "fit s", "status"])
    print(f"wrote {out / 'forecasts.csv'} and {out / 'metrics.csv'} in {time.perf_counter() - started:.1f} s "
          f"(and {imported:.1f} s of imports before)", file=sys.stderr)
    return 0


def _report_tuning(tuning: dict, out: Path) -> None:
    from core.evaluation.tuning import TuningSummary, load_study
    from core.runs.exports import safe_csv

    summary = TuningSummary.from_json(tuning)
    print(f"tuning: {summary.trials} settings tried in {summary.seconds:.0f} s ({summary.pruned} pruned); validation MASE "
          f"{summary.best_mase:.3f} (the settings given: {summary.start_mase:.3f}); trained with "
          + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in summary.best.items()), file=sys.stderr)
    study = load_study(summary)
    if study is not None:
        (out / "tuning_trials.csv").write_bytes(safe_csv(study.trials_dataframe()))
        print(f"  study '{summary.study}' in {summary.storage}; every trial in {out / 'tuning_trials.csv'}", file=sys.stderr)


def cmd_batch(args) -> int:
    from core.batch.panel import run_batch
    from core.batch.cluster import check_scheduler
    from core.data import detect_columns
    from core.evaluation.holdout import ModelSpec
    from core.runs.exports import safe_csv

    scheduler = check_scheduler(args.scheduler)
    frame = _read(args.file, args.decimal)
    guess = detect_columns(frame)
    columns = (args.id or guess.id or "unique_id", args.date or guess.date or "ds", args.target or guess.target or "y")
    from core.models import GLOBAL_LSTM

    specs = [ModelSpec(k, {"embedding": args.embedding} if k == GLOBAL_LSTM and args.embedding else {}) for k in args.models]
    started = time.perf_counter()
    print(f"{Path(args.file).name}: series in '{columns[0]}', dates in '{columns[1]}', values in '{columns[2]}'; "
          f"horizon {args.horizon}, season {args.season}"
          + (f" (MASE and Naive2 on season {args.score_season})" if args.score_season else "") + f", models {', '.join(args.models)}, scheduler {scheduler}", file=sys.stderr)

    def progress(fraction, message):
        print(f"[{fraction:5.1%}] {message}", file=sys.stderr, flush=True)

    result = run_batch(frame, specs, args.horizon, args.season, args.level, columns=columns, scheduler=scheduler,
                       on_progress=progress, score_season=args.score_season)
    out = _out_dir(args.out)
    (out / "metrics.csv").write_bytes(safe_csv(result.metrics))
    (out / "forecasts.csv").write_bytes(safe_csv(result.forecasts))
    (out / "summary.csv").write_bytes(safe_csv(result.summary))
    (out / "skipped.csv").write_bytes(safe_csv(result.skipped))
    _print_table(result.summary, ["model", "series", "sMAPE", "MASE", "OWA", "fit s"])
    for note in result.notes:
        print(note, file=sys.stderr)
    if len(result.skipped):
        print(f"skipped {len(result.skipped)} series (reasons in skipped.csv)", file=sys.stderr)
    print(f"wrote {out}/summary.csv, metrics.csv, forecasts.csv in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from core.models import DEFAULT_MODELS, GLOBAL_LSTM, REGISTRY, series_models

    parser = _Parser(prog="python -m core", description="LSTM Lens without the browser.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    f = sub.add_parser("forecast", help="holdout-evaluate models on one series and write forecasts.csv and metrics.csv")
    f.add_argument("file")
    f.add_argument("--target", help="value column (detected when not given)")
    f.add_argument("--date", help="date column (detected when not given)")
    f.add_argument("--covariates", help="comma-separated covariate columns for the LSTM")
    f.add_argument("--horizon", type=_steps, required=True, help="steps to forecast")
    f.add_argument("--season", type=_steps, help="seasonal period in steps (detected when not given)")
    f.add_argument("--models", type=_models, default=list(DEFAULT_MODELS), help="comma-separated: " + ",".join(series_models()))
    f.add_argument("--test-size", type=_steps, help="points held out for scoring (default: the horizon)")
    f.add_argument("--level", type=_level, default=0.9, help="prediction interval level, 0.5 to 0.99 (default 0.9)")
    f.add_argument("--tune", type=_tune_seconds, metavar="SECONDS",
                   help="search the LSTM's settings with Optuna for this many seconds (1 to 3600) before training it")
    f.add_argument("--future", action="store_true", help="also refit on all data and forecast past its end")
    f.add_argument("--out", default="out", help="output folder (default ./out)")
    f.add_argument("--decimal", choices=[".", ","], help="decimal mark of a text file (detected per column when not given)")
    f.set_defaults(run=cmd_forecast)
    b = sub.add_parser("batch", help="many series in long format (unique_id, ds, y): per-series metrics and M4-style means")
    b.add_argument("file")
    b.add_argument("--horizon", type=_steps, required=True, help="steps to forecast")
    b.add_argument("--season", type=_steps, required=True, help="seasonal period in steps (1 for none)")
    b.add_argument("--score-season", type=_steps, metavar="STEPS",
                   help="the season that scales MASE and seasonally adjusts Naive2, when not --season "
                        "(M4 used 1 for weekly data); the models still use --season")
    b.add_argument("--models", type=_batch_models, default=[k for k in REGISTRY if not REGISTRY[k].slow],
                   help="comma-separated: " + ",".join(REGISTRY) + f" ({GLOBAL_LSTM}: one network over all series)")
    b.add_argument("--id", help="series id column (detected when not given; default unique_id)")
    b.add_argument("--date", help="date column (detected when not given; default ds)")
    b.add_argument("--target", help="value column (detected when not given; default y)")
    b.add_argument("--scheduler", default="local",
                   help="where per-series work runs: local (a Dask cluster on this machine, the default), serial, or tcp://HOST:PORT")
    b.add_argument("--embedding", type=_count, default=0, help=f"{GLOBAL_LSTM}: size of a learned per-series vector, 0 to 256 (0 = none)")
    b.add_argument("--level", type=_level, default=0.9, help="prediction interval level, 0.5 to 0.99 (default 0.9)")
    b.add_argument("--out", default="out")
    b.add_argument("--decimal", choices=[".", ","], help="decimal mark of a text file (detected per column when not given)")
    b.set_defaults(run=cmd_batch)
    return parser


def main(argv=None) -> int:
    from core.errors import DataError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OSError, MemoryError) as error:
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
