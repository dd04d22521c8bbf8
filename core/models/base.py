"""The one model protocol every forecaster follows, and the Forecast it returns.

``fit(series, covariates=None, *, on_progress, on_epoch) -> self`` and ``predict(horizon)``.
The base class checks what every model needs (a regular series without gaps, long enough;
a horizon of at least 1 step; fit before predict) and calls the subclass' ``_fit`` and
``_predict``. Hyperparameters live in ``__init__``; fitted state in attributes ending in ``_``.

Panel models (``panel = True``, the global LSTM) also take a mapping ``id -> series`` and then
forecast every series: ``predict`` returns ``{id: Forecast}``. Given one series they treat it as
a panel of one and return one ``Forecast``, so every model can stand in for any other.
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from core.data.dates import is_steps, step_index
from core.errors import DataError
from core.i18n import N_, Text


def no_progress(fraction: float, message: str) -> None:  # default on_progress
    return None


@dataclass(frozen=True)
class Forecast:
    """Point forecast with a central prediction interval at ``level`` (e.g. 0.9)."""

    index: pd.DatetimeIndex
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    model: str
    level: float

    def __post_init__(self):
        n = len(self.index)
        for name in ("mean", "lower", "upper"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"Forecast.{name} has {len(getattr(self, name))} values for {n} dates")

    def to_frame(self) -> pd.DataFrame:
        pct = int(round(self.level * 100))
        return pd.DataFrame(
            {"model": self.model, "mean": self.mean, f"lower_{pct}": self.lower, f"upper_{pct}": self.upper},
            index=self.index.rename("date"),
        )

    def exp(self) -> "Forecast":
        """Back from a log scale to the original one."""
        return Forecast(self.index, np.exp(self.mean), np.exp(self.lower), np.exp(self.upper), self.model, self.level)


def future_index(series: pd.Series, horizon: int) -> pd.Index:
    if is_steps(series.index):
        return step_index(int(series.index[-1]) + 1, horizon)
    freq = series.index.freq or pd.infer_freq(series.index)
    if freq is None:
        raise DataError(Text("The series has no regular frequency; clean it on the Data page first."))
    return pd.date_range(series.index[-1], periods=horizon + 1, freq=freq)[1:]


def check_series(series: pd.Series, minimum: int, model: str) -> np.ndarray:
    values = series.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise DataError(Text("{model} needs a series without gaps; fill the gaps on the Data page (Cleaning options → Gaps).", model=Text(model)))
    if len(values) < minimum:
        raise DataError(Text("{model} needs at least {minimum} points to fit; the training part has {count}. Use a shorter "
                             "horizon or test size, or a longer series.", model=Text(model), minimum=minimum, count=len(values)))
    return values


def check_horizon(horizon: int) -> int:
    if int(horizon) < 1:
        raise DataError(Text("The horizon must be at least 1 step."))
    return int(horizon)


def normal_interval(mean: np.ndarray, sigma: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    z = norm.ppf(0.5 + level / 2)
    return mean - z * sigma, mean + z * sigma


class Forecaster:
    """Base of every model: validates inputs and guards predict-before-fit; subclasses do ``_fit``/``_predict``."""

    name = N_("Model")
    panel = False            # True: fits many series at once (a mapping id -> series)
    minimum_points = 2       # a subclass may make this a property that depends on its settings
    level: float = 0.9

    # ------------------------------------------------------------------ the protocol
    def fit(self, series, covariates: pd.DataFrame | None = None, *, on_progress=no_progress, on_epoch=None):
        if isinstance(series, Mapping):
            if not self.panel:
                raise DataError(Text("{name} forecasts one series at a time; fit it on each series of the panel.", name=Text(self.name)))
            if not series:
                raise DataError(Text("{name} needs at least one series.", name=Text(self.name)))
            checked = {str(sid): self._check(s) for sid, s in series.items()}
        else:
            checked = self._check(series)
        self.series_ = None  # a failed refit leaves no half-fitted model behind
        self._fit(checked, covariates, on_progress=on_progress, on_epoch=on_epoch)
        self.series_ = checked
        return self

    def predict(self, horizon: int):
        """A Forecast of ``horizon`` steps past the end of the series (``{id: Forecast}`` for a panel)."""
        if getattr(self, "series_", None) is None:
            raise ValueError(f"{self.name} has not been fitted yet; call fit(series) before predict(horizon).")
        return self._predict(check_horizon(horizon))

    def describe(self) -> str:
        """One line on the fitted model (its order, size, training time); '' when there is nothing to add."""
        return ""

    def notes(self) -> str:
        """Warnings met while fitting that a user may want to read; '' when none."""
        return ""

    def network(self):
        """The Keras network behind the forecasts, for models that have one (saved with the run, looked inside)."""
        return None

    def settings(self) -> dict:
        """The hyperparameters, as the constructor takes them (so ``type(m)(**m.settings())`` is an unfitted twin)."""
        names = [n for n in inspect.signature(type(self).__init__).parameters if n != "self"]
        return {n: getattr(self, n) for n in names}

    # ------------------------------------------------------------------ for subclasses
    def _keep(self, arguments: dict) -> None:
        """Store the constructor's arguments as hyperparameters: ``self._keep(locals())`` first thing in ``__init__``."""
        for name, value in arguments.items():
            if name not in ("self", "__class__"):
                setattr(self, name, value)

    def _check(self, series) -> pd.Series:
        if not isinstance(series, pd.Series) or not (isinstance(series.index, pd.DatetimeIndex) or
                                                     pd.api.types.is_integer_dtype(series.index)):
            raise DataError(Text("{name} needs a series indexed by dates or steps; clean the data on the Data page first.", name=Text(self.name)))
        check_series(series, self.minimum_points, self.name)
        return series

    def _fit(self, series, covariates, *, on_progress, on_epoch) -> None:
        raise NotImplementedError

    def _predict(self, horizon: int):
        raise NotImplementedError
