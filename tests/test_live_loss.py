"""The Train page's live loss chart: every epoch is kept, but the chart is redrawn at most once a second after the
first three epochs (each redraw costs the training time), and a second network starts its own curve."""
import ui.live_loss as live


class Area:
    def __init__(self):
        self.charts = []

    def plotly_chart(self, figure, width, key):
        self.charts.append((key, [len(trace.y) for trace in figure.data]))


def test_redrawn_at_most_once_a_second_and_a_new_network_starts_a_new_curve(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(live.time, "perf_counter", lambda: clock[0])
    area = Area()
    chart = live.LiveLossChart(area)
    for epoch in range(1, 41):  # 40 epochs of 0.1 s
        chart(epoch, {"loss": 1.0 / epoch, "val_loss": 1.2 / epoch})
        clock[0] += 0.1
    assert len(chart.losses["loss"]) == 40
    keys = [key for key, _ in area.charts]
    assert keys == [f"loss_live_{i}" for i in range(1, len(keys) + 1)]  # every chart its own key
    assert 3 + 3 <= len(keys) <= 3 + 4  # the first three, then one a second over the remaining 3.7 s
    assert area.charts[0][1][0] == 1
    chart(1, {"loss": 0.5, "val_loss": 0.6})  # the GRU after the LSTM
    assert chart.losses == {"loss": [0.5], "val_loss": [0.6]} and area.charts[-1][1][0] == 1


def test_no_chart_without_a_network():
    chart = live.LiveLossChart(None)
    chart(1, {"loss": 1.0, "val_loss": 1.0})
    assert chart.losses["loss"] == [1.0]
