"""(Seasonal) ARIMA with automatic order search on statsmodels' SARIMAX.

The search follows Hyndman & Khandakar (2008): d by repeated KPSS tests, D by STL
seasonal strength (> 0.64), then a stepwise walk over (p, q, P, Q, constant) by AICc
from four starting models. Speed comes from fitting each candidate on the differenced
series (``simple_differencing``: a small state space, no diffuse start) with the scale
concentrated out; the chosen model is then run once through the full state-space form
with those parameters, which gives level forecasts and exact intervals without a second
optimisation. Seasons longer than ``max_seasonal_period`` (and any extra seasons, such as
the weekly cycle of half-hourly data) use Fourier terms with ARIMA errors instead of
seasonal lags, the usual advice for long seasons. Their coefficients are estimated once
by least squares and the order search runs on what they leave, so the search stays as
fast as a non-seasonal one; the final state-space pass carries them as regressors.
"""
from __future__ import annotations

import time
import warnings
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import DataError
from core.i18n import N_, Text
from core.models.arima_css import css_fit
from core.models.features import default_pairs, seasonal_design
from core.models.base import Forecast, Forecaster, check_series, future_index


@dataclass(frozen=True, order=True)
class Order:
    p: int
    d: int
    q: int
    P: int = 0
    D: int = 0
    Q: int = 0
    m: int = 0
    constant: bool = False

    def label(self) -> str:
        text = f"ARIMA({self.p},{self.d},{self.q})"
        if self.m > 1:
            text += f"({self.P},{self.D},{self.Q})[{self.m}]"
        if self.constant:
            return Text("{order} with drift", order=text) if self.d + self.D == 1 else Text("{order} with mean", order=text)
        return text


def kpss_differences(values: np.ndarray, max_d: int = 2, alpha: float = 0.05) -> int:
    from statsmodels.tsa.stattools import kpss

    x = values.copy()
    for d in range(max_d + 1):
        if len(x) < 8 or np.std(x) == 0:
            return d
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p_value = kpss(x, regression="c", nlags="auto")[1]
        if p_value >= alpha:
            return d
        if d == max_d:
            return d
        x = np.diff(x)
    return max_d


def seasonal_strength(values: np.ndarray, season: int) -> float:
    from statsmodels.tsa.seasonal import STL

    if season < 2 or len(values) < 2 * season + 1 or np.std(values) == 0:
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = STL(values, period=season, robust=True).fit()
    remainder, seasonal = fit.resid, fit.seasonal
    denom = np.var(seasonal + remainder)
    return float(max(0.0, 1 - np.var(remainder) / denom)) if denom > 0 else 0.0


def seasonal_differences(values: np.ndarray, season: int) -> int:
    return int(seasonal_strength(values, season) > 0.64)


def _difference(values: np.ndarray, d: int, D: int, m: int) -> np.ndarray:
    x = values
    for _ in range(D):
        x = x[m:] - x[:-m]
    for _ in range(d):
        x = np.diff(x)
    return x


MAX_POINTS = 10_000  # longer series are fitted on their last MAX_POINTS values
CSS_FROM = 500  # from this length the search ranks candidates by conditional sum of squares (BENCHMARKS.md)


class AutoARIMA(Forecaster):
    name = "ARIMA"

    def __init__(self, season: int = 1, extra_seasons: tuple[int, ...] = (), order: tuple | None = None, seasonal_order: tuple | None = None,
                 constant: bool | None = None, max_p: int = 5, max_q: int = 5, max_P: int = 2, max_Q: int = 2,
                 max_order: int = 5, max_d: int = 2, max_models: int = 60, max_seasonal_period: int = 12,
                 fourier: int | None = None, level: float = 0.9, maxiter: int = 50, max_points: int | None = MAX_POINTS,
                 approximate_search: bool = True, search_factr: float = 1e10, css_from: int = CSS_FROM):
        self._keep(locals())
        self.extra_seasons = tuple(int(x) for x in extra_seasons)

    # ------------------------------------------------------------------ design
    def _fourier(self, t: np.ndarray) -> np.ndarray:
        if not self.fourier_seasons_:
            return np.empty((len(t), 0))
        return seasonal_design(t, self.fourier_seasons_, tuple(self.fourier or default_pairs(s) for s in self.fourier_seasons_))

    def _exog(self, t: np.ndarray, order: Order, with_fourier: bool = True) -> np.ndarray | None:
        blocks = []
        if with_fourier and self.fourier_seasons_:
            blocks.append(self._fourier(t))
        if order.constant:
            blocks.append((t / self.n_)[:, None] if order.d + order.D == 1 else np.ones((len(t), 1)))
        return np.column_stack(blocks) if blocks else None

    def _model(self, values: np.ndarray, order: Order, simple: bool, with_fourier: bool = False):
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        t = np.arange(len(values), dtype=float)
        return SARIMAX(
            values, exog=self._exog(t, order, with_fourier), order=(order.p, order.d, order.q),
            seasonal_order=(order.P, order.D, order.Q, order.m) if order.m > 1 else (0, 0, 0, 0),
            trend="n", simple_differencing=simple, concentrate_scale=True,
            enforce_stationarity=True, enforce_invertibility=True,
        )

    def _fit_one(self, values: np.ndarray, order: Order, searching: bool = True, start=None):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model = self._model(values, order, simple=True)
                rough = searching and self.approximate_search
                if rough and len(values) >= self.css_from:
                    # Long series: candidates ranked by conditional sum of squares (core.models.arima_css), as
                    # auto.arima's approximation does; microseconds per evaluation instead of a Kalman filter's
                    # milliseconds. The kept one is estimated exactly from these estimates.
                    result = css_fit(model)
                else:
                    if rough:
                        # As auto.arima's approximation: candidates compared on a cheaper likelihood (a diffuse start
                        # instead of solving for the stationary covariance at every evaluation), the optimiser stopped
                        # once the likelihood changes by less than search_factr times the machine epsilon: AICc only
                        # ranks the candidates, and the kept one is estimated again exactly.
                        model.ssm.initialize_approximate_diffuse(1e6)
                    options = {"factr": self.search_factr} if rough else {}
                    result = (model.filter(np.array([]), cov_type="none") if model.k_params == 0 else
                              model.fit(start_params=start, disp=False, method="lbfgs", maxiter=self.maxiter, cov_type="none", **options))
            except (np.linalg.LinAlgError, ValueError, IndexError):
                self.warnings_[f"{order.label()} could not be estimated"] += 1
                return None, np.inf
        for item in caught:
            self.warnings_[_warning_kind(item)] += 1
        if searching and _near_unit_root(result):
            # As forecast::auto.arima does: a fit whose AR or MA roots lie on or near the unit circle is an optimiser
            # failure, not a model (one such fit forecast 6x the last value of M4 weekly series W179); skip it.
            self.warnings_[N_("fits with roots near the unit circle rejected")] += 1
            return None, np.inf
        k = len(result.params) + 1  # + the concentrated variance
        n = result.nobs
        if not np.isfinite(result.llf) or n - k - 1 <= 0:
            return None, np.inf
        aicc = -2 * result.llf + 2 * k + 2 * k * (k + 1) / (n - k - 1)
        return result, aicc

    # ------------------------------------------------------------------ search
    def _allowed(self, o: Order) -> bool:
        return (0 <= o.p <= self.max_p and 0 <= o.q <= self.max_q and 0 <= o.P <= self.max_P and 0 <= o.Q <= self.max_Q
                and o.p + o.q + o.P + o.Q <= self.max_order and not (o.constant and o.d + o.D > 1))

    def _neighbours(self, o: Order):
        seasonal = o.m > 1
        steps = [(1, 0, 0, 0), (-1, 0, 0, 0), (0, 1, 0, 0), (0, -1, 0, 0), (1, 1, 0, 0), (-1, -1, 0, 0)]
        if seasonal:
            steps += [(0, 0, 1, 0), (0, 0, -1, 0), (0, 0, 0, 1), (0, 0, 0, -1), (0, 0, 1, 1), (0, 0, -1, -1)]
        for dp, dq, dP, dQ in steps:
            yield Order(o.p + dp, o.d, o.q + dq, o.P + dP, o.D, o.Q + dQ, o.m, o.constant)
        yield Order(o.p, o.d, o.q, o.P, o.D, o.Q, o.m, not o.constant)

    def _search(self, values: np.ndarray, d: int, D: int, m: int, on_progress=None) -> tuple[Order, object]:
        const = d + D <= 1
        s = m > 1
        starts = [Order(2, d, 2, int(s), D, int(s), m, const), Order(0, d, 0, 0, D, 0, m, const),
                  Order(1, d, 0, int(s), D, 0, m, const), Order(0, d, 1, 0, D, int(s), m, const)]
        if const:
            starts.append(Order(0, d, 0, 0, D, 0, m, False))
        tried: dict[Order, float] = {}
        results = {}
        best, best_aicc = None, np.inf

        def consider(order: Order) -> bool:
            nonlocal best, best_aicc
            if order in tried or not self._allowed(order) or len(tried) >= self.max_models:
                return False
            result, aicc = self._fit_one(values, order)
            tried[order] = aicc
            results[order] = result
            if on_progress:
                on_progress(min(0.95, len(tried) / 30), Text("ARIMA search: {order} AICc {aicc:.1f}", order=order.label(), aicc=aicc))
            if aicc < best_aicc - 1e-6:
                best, best_aicc = order, aicc
                return True
            return False

        for order in starts:
            consider(order)
        improved = True
        while improved and len(tried) < self.max_models:
            improved = False
            for order in list(self._neighbours(best)) if best else []:
                if consider(order):
                    improved = True
                    break
        if best is None:
            raise DataError(Text("ARIMA could not fit any model to this series; check it for extreme values or try a manual "
                                 "order."))
        self.models_tried_ = len(tried)
        return best, results[best]

    # ------------------------------------------------------------------ protocol
    minimum_points = 8

    def _fit(self, series: pd.Series, covariates, *, on_progress, on_epoch) -> None:
        started = time.perf_counter()
        self.dropped_ = 0
        if self.max_points and len(series) > self.max_points:
            # The likelihood costs time in proportion to the length, for every model the search tries:
            # very long series are fitted on their most recent part (bench/growth.py).
            self.dropped_ = len(series) - self.max_points
            series = series.iloc[-self.max_points:]
        values = check_series(series, 8, self.name)
        self.n_ = len(values)
        self.warnings_ = Counter()
        m = self.season if self.season > 1 else 0
        use_lags = 1 < m <= self.max_seasonal_period and len(values) >= 2 * m + 8
        m_lags = m if use_lags else 0
        self.fourier_seasons_ = tuple(s for s in ((m,) if m and not use_lags else ()) + self.extra_seasons
                                      if s > 1 and s != m_lags and len(values) >= 2 * s)
        # Fourier coefficients once, by least squares; the search works on what they leave.
        t = np.arange(len(values), dtype=float)
        fourier = self._fourier(t)
        self.fourier_coef_ = np.zeros(fourier.shape[1])
        if fourier.shape[1]:
            design = np.column_stack([np.ones(len(t)), t / len(t), fourier])
            coef = np.linalg.lstsq(design, values, rcond=None)[0]
            self.fourier_coef_ = coef[2:]
        search_values = values - fourier @ self.fourier_coef_
        if self.order is not None:
            p, d, q = (int(v) for v in self.order)
            P, D, Q = tuple(int(v) for v in (self.seasonal_order or (0, 0, 0)))[:3]
            const = bool(self.constant) if self.constant is not None else d + D <= 1
            order = Order(p, d, q, P if m_lags else 0, D if m_lags else 0, Q if m_lags else 0, m_lags, const and d + D <= 1)
            result, aicc = self._fit_one(search_values, order, searching=False)  # the order asked for, as estimated
            if result is None:
                raise DataError(Text("{label} could not be estimated on this series; try a smaller order.", label=order.label()))
            self.models_tried_ = 1
        else:
            D = seasonal_differences(search_values, m_lags) if m_lags else 0
            base = _difference(search_values, 0, D, m_lags) if D else search_values
            d = kpss_differences(base, self.max_d)
            if len(values) - d - D * m_lags < 10:
                D = 0
            order, result = self._search(search_values, d, D, m_lags, on_progress)
            if self.approximate_search:
                exact, _ = self._fit_one(search_values, order, searching=False, start=result.params)
                result = exact if exact is not None else result
        self.order_ = order
        # Full state-space form with the Fourier regressors first, then the constant/drift.
        params = np.r_[self.fourier_coef_, np.asarray(result.params, dtype=float)]
        full = self._model(values, order, simple=False, with_fourier=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.result_ = full.filter(params, cov_type="none")  # no parameter covariance: only forecasts are read
        self.values_ = values
        self.fit_seconds_ = time.perf_counter() - started

    def describe(self) -> str:
        terms = "".join(f" + Fourier({season}, K={self.fourier or default_pairs(season)})" for season in self.fourier_seasons_)
        template = "{order}" + terms  # only the order's words ("with drift") need the reader's language
        text = Text(template, order=self.order_.label())
        if self.dropped_:
            return Text("{model}, fitted on the last {points:,} points (of {total:,})", model=text, points=self.n_,
                        total=self.n_ + self.dropped_)
        return text

    def notes(self) -> str:
        if not self.warnings_:
            return ""
        kinds = self.warnings_.most_common(4)
        template = "; ".join("{count%d}× {kind%d}" % (i, i) for i in range(len(kinds)))  # only fields: nothing to translate
        return Text(template,
                    **{f"count{i}": count for i, (_, count) in enumerate(kinds)},
                    **{f"kind{i}": Text(kind) for i, (kind, _) in enumerate(kinds)})

    def _predict(self, horizon: int) -> Forecast:
        t = np.arange(self.n_, self.n_ + horizon, dtype=float)
        exog = self._exog(t, self.order_, with_fourier=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forecast = self.result_.get_forecast(horizon, exog=exog)
            mean = np.asarray(forecast.predicted_mean, dtype=float)
            bounds = np.asarray(forecast.conf_int(alpha=1 - self.level), dtype=float)
        lower, upper = np.minimum(bounds[:, 0], mean), np.maximum(bounds[:, 1], mean)
        return Forecast(future_index(self.series_, horizon), mean, lower, upper, self.name, self.level)


MIN_ROOT = 1.01  # forecast::auto.arima's margin: roots closer to the unit circle than this reject the fit


def _near_unit_root(result) -> bool:
    """True when an estimated AR or MA polynomial (seasonal parts included) has a root within MIN_ROOT of the unit circle."""
    for name in ("arroots", "maroots"):
        try:
            roots = np.asarray(getattr(result, name), dtype=complex)
        except (AttributeError, ValueError, np.linalg.LinAlgError):
            return True
        if roots.size and (not np.all(np.isfinite(roots)) or np.min(np.abs(roots)) < MIN_ROOT):
            return True
    return False


def _warning_kind(item) -> str:
    text = str(item.message)
    if "converge" in text.lower():
        return N_("optimizer did not fully converge")
    if "non-stationary" in text.lower() or "non-invertible" in text.lower():
        return N_("start values outside the stationary/invertible region")
    return item.category.__name__
