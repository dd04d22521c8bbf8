"""The model registry: every forecaster the pages, the CLI and the batch can train, with its label and description.

Per-series and panel (global) models sit here alike and follow one protocol (core.models.base).
Pages and the CLI take keys, labels and descriptions from here, never from literals of their own.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from importlib import import_module

from core.errors import DataError
from core.i18n import N_, Text

# Keys other modules need by name.
NAIVE2 = "naive2"        # OWA is relative to it
ARIMA = "arima"
REGRESSION = "regression"
SNAIVE = "snaive"        # skill scores are relative to it
LSTM = "lstm"            # the network the app looks inside
GRU = "gru"              # the simpler recurrent cell, to compare with the LSTM
GLOBAL_LSTM = "global_lstm"


@dataclass(frozen=True)
class ModelInfo:
    key: str
    label: str
    about: str
    target: str                      # "module:Class", imported only when the model is built
    uses_covariates: bool = False
    needs_season: bool = False
    slow: bool = False
    panel: bool = False              # trains once over many series (the batch); per-series otherwise
    inspectable: bool = False        # Inside the LSTM and Learn can look inside its network
    needs: tuple[str, ...] = ()      # heavy libraries its fit imports (lazily): see import_needs

    def load(self):
        module, _, name = self.target.partition(":")
        return getattr(import_module(module), name)


STATSMODELS_TSA = ("statsmodels.tsa.statespace.sarimax", "statsmodels.tsa.stattools", "statsmodels.tsa.seasonal")

REGISTRY: dict[str, ModelInfo] = {m.key: m for m in (
    ModelInfo("naive", N_("Naive"), N_("Repeats the last value. The simplest honest reference."), "core.models.naive:Naive"),
    ModelInfo(SNAIVE, N_("Seasonal naive"), N_("Repeats the last season. The reference every skill score is relative to."),
              "core.models.naive:SeasonalNaive", needs_season=True),
    ModelInfo(NAIVE2, N_("Naive2"), N_("Naive on seasonally adjusted data (M4's reference for OWA)."), "core.models.naive:Naive2"),
    ModelInfo(REGRESSION, N_("Linear regression"), N_("OLS on a trend, Fourier seasonality and recent lags."),
              "core.models.regression:LinearRegression", needs=("statsmodels.api",)),
    ModelInfo(ARIMA, "ARIMA", N_("Automatic (seasonal) ARIMA, stepwise search by AICc; Fourier terms for long seasons."),
              "core.models.arima:AutoARIMA", needs=STATSMODELS_TSA),
    ModelInfo(LSTM, "LSTM", N_("Keras LSTM with a direct multi-step head; uses covariates when given."),
              "core.models.lstm:LSTMForecaster", uses_covariates=True, slow=True, inspectable=True, needs=("keras",)),
    ModelInfo(GRU, "GRU", N_("Keras GRU (update and reset gates, no separate cell state) on the same windows and scaling "
              "as the LSTM; trained when chosen, to compare the two."), "core.models.lstm:GRUForecaster", uses_covariates=True,
              slow=True, inspectable=True, needs=("keras",)),
    ModelInfo(GLOBAL_LSTM, N_("Global LSTM"), N_("One LSTM trained on windows from every series, each window on its own scale; "
              "trains once for the whole batch."), "core.models.global_lstm:GlobalLSTM", slow=True, panel=True,
              inspectable=True, needs=("keras",)),
)}

DEFAULT_MODELS = ("naive", SNAIVE, REGRESSION, ARIMA, LSTM)
DEFAULT_BATCH_MODELS = (SNAIVE, REGRESSION, GLOBAL_LSTM)


_preload_lock = threading.Lock()
_preloaded: set[str] = set()


def preload_needs(keys) -> threading.Thread | None:
    """Start ``import_needs`` in a background thread for those of these models whose libraries are neither imported nor
    being imported, and return that thread (None when there is nothing to start). TensorFlow's import takes 5 to 6 s on
    a 2-core AMD EPYC: the Train page calls this when drawn, so the imports run while the user chooses settings instead
    of after Train is pressed. A fit that imports the same library meanwhile waits for it (Python's per-module import
    lock); nothing is imported twice."""
    with _preload_lock:
        todo = [k for k in keys if k not in _preloaded and not all(name in sys.modules for name in REGISTRY[k].needs)]
        if not todo:
            return None
        _preloaded.update(todo)
        thread = threading.Thread(target=import_needs, args=(todo,), name="model-imports", daemon=True)
        thread.start()
        return thread


def import_needs(keys) -> None:
    """Import now the libraries these models' fits would import on first use (Keras with TensorFlow takes seconds), so
    that a timed fit measures the fit: the CLI's own seconds exclude the imports, as a warm app's would.

    One thread at a time: a training started while ``preload_needs``' thread still imports waits here for it instead of
    importing the same libraries beside it (two threads importing one package can hand one of them a partly initialised
    module)."""
    from core.models.imports import IMPORT_LOCK

    with IMPORT_LOCK:
        _import(keys)


def _import(keys) -> None:
    for key in keys:
        info = REGISTRY[key]
        info.load()
        for name in info.needs:
            if name == "keras":
                from core.models.keras_training import keras_module

                keras_module()  # quiet TensorFlow's logging first
            else:
                import_module(name)


def label(key: str) -> str:
    return REGISTRY[key].label if key in REGISTRY else key


def series_models() -> list[str]:
    """Keys of the models that fit one series at a time (the Train page's choices)."""
    return [k for k, m in REGISTRY.items() if not m.panel]


def _settings(info: ModelInfo, season: int, horizon: int, level: float, season_options) -> dict:
    """The settings each model takes from the series, besides what the user chose."""
    if info.key == "naive":
        return {"level": level}
    base = {"season": season, "level": level}
    if info.key == ARIMA:
        base["extra_seasons"] = tuple(s for s in season_options if s != season and s > 1)
    if info.key in (LSTM, GRU, GLOBAL_LSTM):
        base["horizon"] = horizon
    return base


def build_model(key: str, *, season: int, horizon: int, level: float = 0.9, season_options=(), **params):
    """A fresh, unfitted model with the series' season and horizon and the user's settings."""
    if key not in REGISTRY:
        raise DataError(Text("Unknown model '{key}'. Choose from: {join}.", key=key, join=', '.join(REGISTRY)))
    info = REGISTRY[key]
    if info.needs_season and season < 2:
        raise DataError(Text("{label} needs a season of at least 2 steps; this series has none (season 1). Leave it out or "
                             "set a season.", label=Text(info.label)))
    settings = _settings(info, season, horizon, level, tuple(season_options))
    settings.update(params)
    return info.load()(**settings)
