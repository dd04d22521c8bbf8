"""The Train page's live loss chart: every epoch is kept, but the chart is redrawn at most once a second after the
first three epochs (each redraw sends a figure), never when nothing is new, and a second network starts its own curve."""
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
    chart = live.LiveLossChart()
    for epoch in range(1, 41):  # 40 epochs of 0.1 s, the page looking at every one
        chart(epoch, {"loss": 1.0 / epoch, "val_loss": 1.2 / epoch})
        chart.draw(area)
        chart.draw(area)  # a second look with nothing new draws nothing
        clock[0] += 0.1
    assert len(chart.losses["loss"]) == 40
    keys = [key for key, _ in area.charts]
    assert keys == [f"loss_live_{i}" for i in range(1, len(keys) + 1)]  # every chart its own key
    assert 3 + 3 <= len(keys) <= 3 + 4  # the first three, then one a second over the remaining 3.7 s
    assert area.charts[0][1][0] == 1
    chart.draw(area, final=True)  # the end: whatever is new, due or not
    assert area.charts[-1][1] == [40, 40]
    chart(1, {"loss": 0.5, "val_loss": 0.6})  # the GRU after the LSTM
    chart.draw(area, final=True)
    assert chart.losses == {"loss": [0.5], "val_loss": [0.6]} and area.charts[-1][1][0] == 1


def test_nothing_drawn_without_epochs():
    area = Area()
    live.LiveLossChart().draw(area, final=True)
    assert area.charts == []
