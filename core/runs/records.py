"""What a training run is: the dataset it used, the models, and their evaluation. Shared by pages and the store."""
from __future__ import annotations

from dataclasses import dataclass

from core.data import CleanSeries


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
