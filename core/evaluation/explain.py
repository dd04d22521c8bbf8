"""Why the LSTM lost, when it did: facts about the series and the training that a user can check."""
from __future__ import annotations

import numpy as np

from core.evaluation.holdout import Evaluation
from core.i18n import Text
from core.models import REGISTRY, SNAIVE


def lstm_loss_reasons(evaluation: Evaluation) -> list[str]:
    """Sentences saying why the network the app looks inside scored worse than seasonal naive; [] when it did not."""
    looked_inside = evaluation.inspectable()
    reference = evaluation.ok().get(SNAIVE)
    if looked_inside is None or reference is None:
        return []
    mase, reference_mase = looked_inside.metrics.get("MASE", np.nan), reference.metrics.get("MASE", np.nan)
    if not (np.isfinite(mase) and np.isfinite(reference_mase)) or mase <= reference_mase:
        return []
    model = looked_inside.model
    name = REGISTRY[looked_inside.key].label
    reasons = [Text("Here the {name} (MASE {mase:.3f}) loses to seasonal naive (MASE {reference_mase:.3f}).", name=Text(name), mase=mase,
                    reference_mase=reference_mase)]
    windows = getattr(model, "train_windows_", None)
    if windows is not None and windows < 300:
        reasons.append(Text("It learned from {windows:,} training windows; networks need many examples of a pattern, "
                            "and a short series gives few.", windows=windows))
    shrink = getattr(model, "shrink_", 1.0)
    if shrink < 0.5:
        reasons.append(Text("On its validation windows only {shrink:.0%} of its correction to the base forecast helped, "
                            "so it learned little beyond that simple forecast.", shrink=shrink))
    train = evaluation.train.to_numpy(dtype=float)
    actual = evaluation.actual.to_numpy(dtype=float)
    h = len(actual)
    if len(train) > 2 * h:
        before = (train[-1] - train[-1 - h]) / h
        during = (actual[-1] - train[-1]) / h
        spread = np.std(np.diff(train)) or 1.0
        if abs(during - before) > 1.5 * spread:
            reasons.append(Text("The test part moved unlike the end of the training part (about {during:+.3g} a step against "
                                "{before:+.3g} before it): a model that carries on what it learned misses a turn that the "
                                "history never showed.", during=during, before=before))
    noise = _noise_share(train, evaluation.season)
    if noise > 0.7:
        reasons.append(Text("The series is noisy: a season-to-season change is on average {noise:.0%} as large as the series' "
                            "own spread around its mean, which leaves little pattern for any model to learn.", noise=noise))
    return reasons


def _noise_share(values: np.ndarray, season: int) -> float:
    """Mean size of a seasonal difference relative to the mean distance from the series' mean."""
    lag = season if 1 < season < len(values) // 3 else 1
    spread = np.mean(np.abs(values - values.mean()))
    return float(np.mean(np.abs(values[lag:] - values[:-lag])) / spread) if spread > 0 else 0.0
