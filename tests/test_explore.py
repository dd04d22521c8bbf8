"""The Data page's exploration: autocorrelation and partial autocorrelation a reader can take at face value."""
import numpy as np
import pandas as pd

from core.data.explore import correlations
from core.data.samples import SAMPLES
from core.training import sample_dataset


def generated_series(seed: int) -> pd.Series:
    """Trends, seasons, random walks and AR processes of many lengths: the shapes that break a PACF estimator."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 400))
    t = np.arange(n)
    season = int(rng.choice([4, 7, 12, 24]))
    kind = seed % 4
    if kind == 0:  # strong trend and multiplicative season, as airline
        y = (100 + rng.uniform(0.5, 5) * t) * (1 + 0.2 * np.sin(2 * np.pi * t / season)) + rng.normal(0, 5, n)
    elif kind == 1:  # random walk
        y = np.cumsum(rng.normal(0, 1, n))
    elif kind == 2:  # AR(2) near the unit circle
        y = np.zeros(n)
        for i in range(2, n):
            y[i] = 1.6 * y[i - 1] - 0.65 * y[i - 2] + rng.normal()
    else:  # quadratic growth with a little noise
        y = 0.05 * t ** 2 + rng.normal(0, 1, n)
    return pd.Series(y, index=pd.date_range("2000-01-01", periods=n, freq="D"))


def test_partial_autocorrelations_lie_between_minus_one_and_one_without_clipping():
    for seed in range(80):
        corr = correlations(generated_series(seed), 40)
        # strictly inside: only an exactly predictable series reaches 1, and a clipped estimate would sit at 1
        assert np.all(np.abs(corr.pacf[1:]) < 0.999), (seed, np.abs(corr.pacf[1:]).max())
        assert np.all(np.abs(corr.acf) <= 1 + 1e-9) and corr.pacf[0] == 1 and corr.acf[0] == 1
    for sample in SAMPLES:  # airline's PACF reached 37 at lag 39 with the size-adjusted estimator (drawn as 1)
        corr = correlations(sample_dataset(sample.key).clean.y, 40)
        assert np.all(np.abs(corr.pacf[1:]) < 0.999), sample.key


def test_an_ar1_process_shows_its_coefficient_at_lag_one_and_nothing_after():
    rng = np.random.default_rng(3)
    y = np.zeros(3000)
    for i in range(1, len(y)):
        y[i] = 0.7 * y[i - 1] + rng.normal()
    corr = correlations(pd.Series(y), 20)
    assert abs(corr.pacf[1] - 0.7) < 0.03 and abs(corr.acf[2] - 0.49) < 0.05
    assert np.mean(np.abs(corr.pacf[2:]) > corr.band) <= 0.15  # beyond lag 1, inside the white-noise band (a few by chance)
    assert abs(corr.band - 1.96 / np.sqrt(3000)) < 1e-12
