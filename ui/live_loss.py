"""The Train page's live loss chart: epochs recorded as they end (from the training thread), the chart redrawn by the
page at most once a second after the first few."""
from __future__ import annotations

import time

from core.charts import forecasts as charts

LIVE_CHART_SECONDS = 1.0  # a redraw sends a whole figure to the browser: with 0.2 s epochs, every epoch would be too often


class LiveLossChart:
    """An ``on_epoch`` callback keeping the loss curves of the network training now, and their chart."""

    def __init__(self):
        self.losses = {"loss": [], "val_loss": []}
        self.epochs = 0         # epochs recorded, over every network
        self.drawn_epochs = 0   # epochs recorded when the chart was last drawn
        self.drawn = 0          # each chart drawn gets its own key (one network after another)
        self.last_drawn = 0.0

    def __call__(self, epoch: int, logs: dict) -> None:
        if epoch == 1:  # the next network started (the GRU after the LSTM): its own curve
            self.losses = {"loss": [], "val_loss": []}
        self.losses["loss"].append(logs["loss"])
        self.losses["val_loss"].append(logs["val_loss"])
        self.epochs += 1

    def draw(self, area, final: bool = False) -> None:
        """Draw the curves into ``area`` if epochs ended since the last drawing and a drawing is due: each of the
        first three epochs, then at most once a second; ``final`` draws whatever is new."""
        if self.epochs == self.drawn_epochs:
            return
        if not (final or self.epochs <= 3 or time.perf_counter() - self.last_drawn >= LIVE_CHART_SECONDS):
            return
        self.last_drawn, self.drawn_epochs = time.perf_counter(), self.epochs
        self.drawn += 1
        losses = {k: list(v) for k, v in self.losses.items()}
        area.plotly_chart(charts.loss_chart(losses), width="stretch", key=f"loss_live_{self.drawn}")
