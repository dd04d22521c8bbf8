"""Linear regression on lags, a linear trend and Fourier seasonality (statsmodels OLS).

Multi-step forecasts feed predictions back in as lags; the interval comes from simulating
that recursion with the regression's residual spread and its coefficient uncertainty.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.models.features import seasonal_design
from core.i18n import N_, Text
from core.models.base import Forecast, Forecaster, check_series, future_index


def default_lags(season: int, length: int) -> tuple[int, ...]:
    lags = [1, 2]
    if season > 2 and length > 4 * season:
        lags.append(season)
    return tuple(lags)


class LinearRegression(Forecaster):
    name = N_("Linear regression")

    def __init__(self, season: int = 1, lags: tuple[int, ...] | None = None, trend: bool = True,
                 fourier: int | None = None, level: float = 0.9, seed: int = 0, paths: int = 500):
        self._keep(locals())

    def _design(self, t: np.ndarray) -> np.ndarray:
        cols = [np.ones(len(t))]
        if self.trend:
            cols.append(t / max(1, self.n_))
        if self.season > 1:
            pairs = (self.fourier,) if self.fourier else None
            cols.append(seasonal_design(t, (self.season,), pairs))
        return np.column_stack(cols)

    def _fit(self, series: pd.Series, covariates, *, on_progress, on_epoch) -> None:
        import statsmodels.api as sm

        lags = self.lags if self.lags is not None else default_lags(self.season, len(series))
        max_lag = max(lags) if lags else 0
        values = check_series(series, max_lag + 10, self.name)
        self.n_ = len(values)
        self.lags_ = tuple(int(lag) for lag in lags)
        t = np.arange(len(values), dtype=float)
        base = self._design(t)
        lagged = np.column_stack([np.r_[np.full(lag, np.nan), values[:-lag]] for lag in self.lags_]) if self.lags_ else np.empty((len(values), 0))
        rows = slice(max_lag, None)
        design = np.column_stack([base, lagged])[rows]
        self.result_ = sm.OLS(values[rows], design).fit()
        self.values_ = values

    def describe(self) -> Text:
        parts = [Text("OLS: intercept")] + ([Text("linear trend")] if self.trend else [])
        if self.season > 1:
            from core.models.features import default_pairs
            parts.append(f"Fourier({self.season}, K={self.fourier or default_pairs(self.season)})")
        if self.lags_:
            parts.append(Text("lags {lags}", lags=", ".join(map(str, self.lags_))))
        terms = {f"t{i}": part for i, part in enumerate(parts)}
        template = " + ".join("{%s}" % k for k in terms) + "; R² {r2:.3f}"  # only fields and symbols: nothing to translate
        return Text(template, r2=self.result_.rsquared, **terms)

    def _predict(self, horizon: int) -> Forecast:
        n, lags = self.n_, self.lags_
        future = self._design(np.arange(n, n + horizon, dtype=float))
        width = future.shape[1]
        params = self.result_.params
        cov = self.result_.cov_params()
        rng = np.random.default_rng(self.seed)
        draws = rng.multivariate_normal(params, cov, size=self.paths, method="svd") if np.all(np.isfinite(cov)) \
            else np.tile(params, (self.paths, 1))
        sigma = float(np.sqrt(self.result_.scale))
        # Row 0 is the point forecast (estimated coefficients, no noise); the rest are simulated paths.
        coef = np.vstack([params, draws])
        noise = np.vstack([np.zeros((1, horizon)), rng.normal(0.0, sigma, (self.paths, horizon))])
        # Each path needs only the last max(lags) values of the history, not all of it.
        keep = max(lags, default=1)
        paths = np.empty((coef.shape[0], keep + horizon))
        paths[:, :keep] = self.values_[-keep:]
        for h in range(horizon):
            step = coef[:, :width] @ future[h]
            for j, lag in enumerate(lags):
                step = step + coef[:, width + j] * paths[:, keep + h - lag]
            paths[:, keep + h] = step + noise[:, h]
        mean = paths[0, keep:]
        tail = (1 - self.level) / 2
        lower, upper = np.quantile(paths[1:, keep:], [tail, 1 - tail], axis=0)
        lower, upper = np.minimum(lower, mean), np.maximum(upper, mean)
        return Forecast(future_index(self.series_, horizon), mean, lower, upper, self.name, self.level)
