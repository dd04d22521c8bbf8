"""A column of numbers without dates: read on steps 1, 2, 3, …, and every model, page and saved run works on it."""
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.data import detect_columns, read_table, to_series
from core.data.dates import STEPS
from core.evaluation.holdout import ModelSpec
from core.models import DEFAULT_MODELS, REGISTRY
from core.runs.records import Dataset
from core.runs.store import RunStore
from core.training import RunSettings, forecast_future, train_run
from tests.conftest import AWKWARD, ROOT, shown


def steps_dataset() -> Dataset:
    data = (AWKWARD / "no_dates.csv").read_bytes()
    frame = read_table(data, "no_dates.csv")
    guess = detect_columns(frame)
    assert guess.date is None and guess.target == "units sold"
    clean = to_series(frame, date=None, target=guess.target)
    return Dataset(name="no_dates.csv", digest="steps", clean=clean, settings={"date": None, "target": guess.target})


def test_numbers_without_dates_are_read_on_steps_and_said_so():
    clean = steps_dataset().clean
    assert clean.freq == STEPS
    assert list(clean.y.index[:3]) == [1, 2, 3] and clean.y.index[-1] == 96
    assert any(line.startswith("No date column: the rows are read in file order as steps 1, 2, 3") for line in clean.report)
    assert clean.season == 12  # the file's 12-step cycle, found by autocorrelation


@pytest.mark.parametrize("seed", range(5))
def test_a_series_without_a_cycle_gets_no_season(seed):
    walk = pd.DataFrame({"v": np.cumsum(np.random.default_rng(seed).normal(size=200)) + 50})
    clean = to_series(walk, date=None, target="v")
    assert clean.season == 1 and clean.season_options[0] == 1


def test_gaps_between_steps_are_interpolated_linearly():
    frame = pd.DataFrame({"v": ["1", "2", "", "4", "5", "6"]})
    clean = to_series(frame, date=None, target="v")
    assert clean.y.tolist() == [1, 2, 3, 4, 5, 6]
    with pytest.raises(ValueError, match=r"first on step 1\)"):
        to_series(pd.DataFrame({"v": ["-1", "2", "3", "4"]}), date=None, target="v", log=True)


def test_every_default_model_forecasts_steps_and_the_run_reopens(tmp_path):
    dataset = steps_dataset()
    settings = RunSettings(test_size=12, horizon=12, season=12)
    run = train_run(dataset, [ModelSpec(k, {"epochs": 3} if REGISTRY[k].inspectable else {}) for k in DEFAULT_MODELS], settings)
    ok = run.evaluation.ok()
    assert set(ok) == set(DEFAULT_MODELS), {k: r.error for k, r in run.evaluation.results.items()}
    for result in ok.values():
        assert list(result.forecast.index) == list(range(85, 97))
    future, failed = forecast_future(run)
    assert not failed and all(list(f.index) == list(range(97, 109)) for f in future.values())

    store = RunStore(tmp_path)
    store.finish(store.start(dataset.name, "steps", list(DEFAULT_MODELS)), run, 1.0)
    again = store.load(run.run_id)
    assert again.dataset.clean.y.index.equals(dataset.clean.y.index)
    assert again.dataset.clean.freq == STEPS
    for key, result in again.evaluation.ok().items():
        assert result.forecast.index.equals(ok[key].forecast.index)


def test_every_page_works_on_steps():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.session_state["dataset"] = steps_dataset()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert any("· no dates ·" in shown(c) for c in at.caption)
    {n.label: n for n in at.number_input}["Max epochs"].set_value(3)
    at.button[0].click().run()
    assert not at.exception and not at.error
    for page in ("compare", "gates", "learn", "runs"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert not at.error, (page, [e.value for e in at.error])
    at.switch_page("pages/gates.py").run()
    window = at.select_slider[0]
    assert window.label == "Window ending on" and all(o.startswith("step ") for o in window.options)
