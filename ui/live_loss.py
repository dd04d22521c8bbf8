"""The Train page's live loss chart: redrawn as epochs end, at most once a second after the first few."""
from __future__ import annotations

import time

from core.charts import forecasts as charts

LIVE_CHART_SECONDS = 1.0  # each redraw costs the training time: with 0.2 s epochs, every epoch would be too often


class LiveLossChart:
    """An ``on_epoch`` callback drawing the loss curves of the network now training into a Streamlit placeholder."""

    def __init__(self, area):
        self.area = area
        self.losses = {"loss": [], "val_loss": []}
        self.drawn = 0          # each chart drawn gets its own key (one network after another)
        self.last_drawn = 0.0

    def __call__(self, epoch: int, logs: dict) -> None:
        if epoch == 1:  # the next network started (the GRU after the LSTM): its own curve
            self.losses["loss"].clear()
            self.losses["val_loss"].clear()
        self.losses["loss"].append(logs["loss"])
        self.losses["val_loss"].append(logs["val_loss"])
        if self.area is not None and (epoch <= 3 or time.perf_counter() - self.last_drawn >= LIVE_CHART_SECONDS):
            self.last_drawn = time.perf_counter()
            self.drawn += 1
            self.area.plotly_chart(charts.loss_chart(self.losses), width="stretch", key=f"loss_live_{self.drawn}")
