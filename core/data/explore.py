"""Numbers behind the Data page: summary statistics, STL decomposition, ACF and PACF."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.i18n import N_


def summary(y: pd.Series) -> pd.DataFrame:
    """One row per statistic an analyst checks first."""
    values = y.dropna()
    rows = [
        (N_("points"), f"{len(y):,}"),
        (N_("start"), str(y.index[0])),
        (N_("end"), str(y.index[-1])),
        (N_("missing"), f"{int(y.isna().sum()):,}"),
        (N_("mean"), f"{values.mean():,.4g}"),
        (N_("std"), f"{values.std():,.4g}"),
        (N_("min"), f"{values.min():,.4g}"),
        (N_("median"), f"{values.median():,.4g}"),
        (N_("max"), f"{values.max():,.4g}"),
        (N_("zeros"), f"{int((values == 0).sum()):,}"),
        (N_("negatives"), f"{int((values < 0).sum()):,}"),
    ]
    return pd.DataFrame(rows, columns=["statistic", "value"])


def decompose(y: pd.Series, season: int) -> pd.DataFrame | None:
    """Robust STL at the given season; None when the series is too short for it."""
    from statsmodels.tsa.seasonal import STL

    if season < 2 or len(y) < 2 * season + 1 or y.isna().any():
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = STL(y.astype(float), period=season, robust=True).fit()
    return pd.DataFrame(
        {"observed": y, "trend": result.trend, "seasonal": result.seasonal, "residual": result.resid},
        index=y.index,
    )


@dataclass(frozen=True)
class Correlations:
    lags: np.ndarray
    acf: np.ndarray
    pacf: np.ndarray
    band: float  # +/- 1.96 / sqrt(n): values beyond it are unlikely under white noise


def correlations(y: pd.Series, max_lags: int) -> Correlations:
    from statsmodels.tsa.stattools import acf, pacf

    values = y.dropna().to_numpy(dtype=float)
    nlags = int(max(1, min(max_lags, len(values) // 2 - 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if np.std(values) == 0:
            a = np.r_[1.0, np.zeros(nlags)]
            p = a.copy()
        else:
            a = acf(values, nlags=nlags, fft=True)
            # Levinson-Durbin on the plain (biased) autocovariance, as R's pacf: it is positive definite, so every partial
            # correlation lies in [-1, 1]. The sample-size-adjusted default is not, and on a trending series it gave
            # airline 37.1 at lag 39 (drawn as 1 after clipping: a strong lag that is not there).
            p = pacf(values, nlags=nlags, method="ldb")
    return Correlations(lags=np.arange(nlags + 1), acf=a, pacf=p, band=1.96 / np.sqrt(len(values)))
