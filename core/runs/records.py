"""What a training run is: the dataset it used, the models, and their evaluation. Shared by pages and the store."""
from __future__ import annotations

import copy
import dataclasses
import hashlib
from dataclasses import dataclass

from core.data import CleanSeries


def content_hash(data: bytes) -> str:
    """A dataset's digest: the same bytes give the same id, in the app, the CLI and the saved runs."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Dataset:
    name: str
    digest: str
    clean: CleanSeries
    settings: dict


@dataclass
class TrainingRun:
    dataset: Dataset
    specs: list
    evaluation: object          # core.evaluation.holdout.Evaluation
    test_size: int
    horizon: int
    season: int
    level: float
    future: dict | None = None  # key -> Forecast past the end of the data
    run_id: str | None = None
    created: float | None = None
    tuning: dict | None = None  # what an Optuna search of the LSTM's settings did (core.evaluation.tuning.TuningSummary)

    @property
    def batch_series(self) -> str | None:
        """The series id when this run is one series of a batch seen through its global network (core.training)."""
        return self.dataset.settings.get("batch_series")

    def session_copy(self) -> "TrainingRun":
        """A copy one browser session may change (its future forecasts, notes) while the cached original stays as saved.

        The trained networks are shared: nothing changes them after training."""
        evaluation = copy.copy(self.evaluation)
        evaluation.results = {key: copy.copy(result) for key, result in self.evaluation.results.items()}
        return dataclasses.replace(self, evaluation=evaluation, specs=list(self.specs),
                                   future=dict(self.future) if self.future else None)
