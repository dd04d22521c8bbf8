"""The real public series shipped in sample_data/ (sources and licences in its README)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.i18n import N_

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"


@dataclass(frozen=True)
class Sample:
    key: str
    file: str
    title: str
    about: str
    horizon: int

    @property
    def path(self) -> Path:
        return SAMPLE_DIR / self.file

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


SAMPLES: tuple[Sample, ...] = (
    Sample("airline", "airline_passengers.csv", N_("Airline passengers, monthly 1949–1960"),
           N_("International airline passengers (thousands), Box & Jenkins: trend with multiplicative yearly seasonality."), 12),
    Sample("co2", "mauna_loa_co2_weekly.csv", N_("Mauna Loa CO₂, weekly 1958–2001"),
           N_("Atmospheric CO₂ (ppm) from flask samples, Keeling & Whorf: steady trend, yearly cycle, 59 missing weeks."), 52),
    Sample("electricity", "electricity_demand_england_wales.csv", N_("Electricity demand, half-hourly, England & Wales 2000"),
           N_("Half-hourly demand (MW), 5 June – 27 August 2000, Taylor (2003): daily and weekly seasonality, 4,032 points."), 48),
    Sample("macro", "us_macro_quarterly.csv", N_("US macroeconomy, quarterly 1959–2009 (multivariate)"),
           N_("Real personal consumption with income, unemployment, inflation and T-bill rate as covariates (FRED/BLS)."), 8),
)


def get_sample(key: str) -> Sample:
    for sample in SAMPLES:
        if sample.key == key:
            return sample
    raise KeyError(f"No sample called '{key}'; samples are: {', '.join(s.key for s in SAMPLES)}.")


@dataclass(frozen=True)
class Panel(Sample):
    """A multi-series sample in long format (unique_id, ds, y) for the Batch page, with its season."""

    season: int = 1


PANELS: tuple[Panel, ...] = (
    Panel("m4_hourly_24", "m4_hourly_24.csv", N_("M4 Hourly, 24 series"),
          N_("24 of the 414 hourly series of the M4 competition, evenly spaced from H1 to H414; training parts, 700 or 960 hours each."),
          48, 24),
)
