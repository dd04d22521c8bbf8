"""Tuning the LSTM with Optuna: validated inside the training part only, pruned from the epoch callback, stored, applied."""
import optuna
import pytest

from core.errors import DataError
from core.evaluation.holdout import ModelSpec
from core.evaluation.tuning import check_tuning, load_study, tune_lstm, TuningSummary
from core.runs.store import RunStore
from core.training import RunSettings, sample_dataset, train_run

QUICK = {"epochs": 4, "members": 1}


def airline():
    return sample_dataset("airline").clean


def tune(y, tmp_path, **extra):
    clean = airline()
    options = dict(test_size=12, season=12, level=0.9, log=clean.log, params=dict(QUICK), budget_s=600, root=tmp_path,
                   max_trials=3, name="airline")
    return tune_lstm(y, None, **{**options, **extra})


def test_the_test_part_is_never_seen(tmp_path):
    """Replacing the held-out points by nonsense changes nothing the search does or chooses."""
    y = airline().y
    spoiled = y.copy()
    spoiled.iloc[-12:] = 1e6
    params, summary = tune(y, tmp_path)
    again, spoiled_summary = tune(spoiled, tmp_path)
    assert params == again and summary.best == spoiled_summary.best
    assert summary.best_mase == pytest.approx(spoiled_summary.best_mase, rel=1e-9)
    assert summary.start_mase == pytest.approx(spoiled_summary.start_mase, rel=1e-9)
    assert summary.validation_points == 12 and summary.trials == 3


def test_the_study_is_kept_in_the_data_folder_and_starts_from_the_given_settings(tmp_path):
    params, summary = tune(airline().y, tmp_path, params={**QUICK, "units": 16, "learning_rate": 0.005})
    assert (tmp_path / "tuning.sqlite").exists()
    study = load_study(summary)
    assert study is not None and len(study.trials) == summary.trials
    first = study.trials[0].params
    assert first["units"] == 16 and first["learning_rate"] == pytest.approx(0.005) and first["layers"] == 1
    assert summary.best_mase <= summary.start_mase  # the settings given are one of the candidates
    assert params["epochs"] == 4 and {k: params[k] for k in summary.best} == summary.best
    assert TuningSummary.from_json(summary.to_json()) == summary


def test_a_stop_is_heard_within_an_epoch_and_leaves_no_study(tmp_path):
    """The Train page's Stop raises from the progress callback: the search ends in the trial's next epoch (not at the
    end of the trial) and its study is deleted, as the stopped run is not kept either."""
    class Stopped(BaseException):
        pass

    calls = []

    def progress(fraction, message):
        calls.append(fraction)
        if len(calls) == 6:  # in the second trial's first epoch (the first trial: four epochs, then its report)
            raise Stopped

    with pytest.raises(Stopped):
        tune(airline().y, tmp_path, on_progress=progress)
    assert len(calls) == 6 and all(0 <= f < 1 for f in calls)
    assert optuna.get_all_study_names(storage=f"sqlite:///{tmp_path / 'tuning.sqlite'}") == []


class PruneAfterTwoEpochs(optuna.pruners.BasePruner):
    def prune(self, study, trial):
        return trial.number > 0 and max(trial.intermediate_values, default=0) >= 2


def test_trials_are_pruned_from_the_epoch_callback(tmp_path):
    _, summary = tune(airline().y, tmp_path, pruner=PruneAfterTwoEpochs())
    study = load_study(summary)
    states = [t.state.name for t in study.trials]
    assert states == ["COMPLETE", "PRUNED", "PRUNED"] and summary.pruned == 2
    assert all(max(t.intermediate_values) == 2 for t in study.trials[1:])  # stopped at the epoch the pruner said
    assert len(study.trials[0].intermediate_values) == 4  # the first trial ran its epochs, one report each


@pytest.mark.parametrize("length, test_size, budget, message", [
    (144, 12, 0, "A tuning budget is 1 to 3,600 seconds"),
    (144, 12, 5000, "A tuning budget is 1 to 3,600 seconds"),
    (60, 20, 60, "which leaves 20 points to train on; at least 33 are needed"),
])
def test_what_cannot_be_tuned_gets_a_sentence(length, test_size, budget, message):
    with pytest.raises(DataError, match=message):
        check_tuning(length, test_size, budget)


def test_a_tuned_run_trains_with_the_best_settings_and_keeps_its_study(tmp_path):
    store = RunStore(tmp_path)
    dataset = sample_dataset("airline")
    specs = [ModelSpec("snaive"), ModelSpec("lstm", dict(QUICK))]
    run = train_run(dataset, specs, RunSettings(test_size=12, horizon=12, season=12, tune_seconds=5), store=store)
    summary = TuningSummary.from_json(run.tuning)
    lstm = next(s for s in run.specs if s.key == "lstm")
    assert {k: lstm.params[k] for k in summary.best} == summary.best
    assert run.evaluation.results["lstm"].error is None
    assert f"lookback {summary.best['lookback']}" in run.evaluation.results["lstm"].description
    reopened = store.load(run.run_id)
    assert reopened.tuning == run.tuning and load_study(TuningSummary.from_json(reopened.tuning)) is not None


def test_the_train_page_tunes_and_draws_optunas_charts(tmp_path, monkeypatch):
    from tests.conftest import shown, train_page

    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    at = train_page(["snaive", "lstm"])
    {n.label: n for n in at.number_input}["Max epochs"].set_value(4)
    at.toggle(key="tune_lstm").set_value(True)
    at.slider(key="tune_seconds").set_value(10)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert any(h.value == "Tuning (Optuna)" for h in at.subheader)
    said = " ".join(shown(m) for m in at.markdown)
    assert "LSTM settings in" in said and "the test part stayed unseen" in said and "trained with units" in said
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert any("tuning_history" in k for k in keys)


def test_the_cli_tunes_and_writes_every_trial(tmp_path):
    import os
    import subprocess
    import sys

    import pandas as pd

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-m", "core", "forecast", "sample_data/airline_passengers.csv", "--horizon", "12",
                           "--models", "snaive,lstm", "--tune", "5", "--out", str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "LSTM_LENS_HOME": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "tuning: " in done.stderr and "settings tried" in done.stderr
    trials = pd.read_csv(tmp_path / "tuning_trials.csv")
    assert len(trials) >= 1 and "params_units" in trials.columns
