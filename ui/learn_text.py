"""The Learn page's text: English message ids, written to be read on their own; their Korean, written on its own too
(not word for word), is in the catalogue (core/i18n/locale/ko/LC_MESSAGES/lstm_lens.po)."""
from core.i18n import N_, _

TEXT = {
    "title": N_("Learn: what an LSTM does, on your own model"),
    "using_yours": N_("Every chart below comes from the LSTM you trained on **{name}**."),
    "using_demo": N_("You have not trained an LSTM yet, so the charts below use a small one trained just now on the "
                     "airline passengers sample. Train your own on **Train** and this page will use it."),
    "why_title": N_("1. Why LSTMs were introduced"),
    "why_body": N_("A plain recurrent network reads a series one step at a time and squeezes everything it has seen "
                   "into a single hidden vector. To learn from something that happened many steps ago, the training "
                   "signal has to travel back through every step in between, and at each step it is multiplied by a "
                   "factor that is usually below one. After a few dozen steps almost nothing is left: the gradient "
                   "*vanishes*, and the network cannot learn long-term dependencies such as last year's peak.\n\nThe LSTM "
                   "(Hochreiter & Schmidhuber, 1997) adds a second path, the **cell state**, along which information is "
                   "only scaled by the **forget gate**. When the forget gate stays close to 1, the memory and its "
                   "gradient pass through almost untouched."),
    "why_chart": N_("How much of what was written k steps ago is still in the cell at the end of the window: the product "
                    "of the forget gates in between, for your model's units. The dashed line is a plain RNN whose signal "
                    "shrinks by 0.6 per step, for comparison."),
    "cell_title": N_("2. The cell state: the path information travels"),
    "cell_body": N_("Think of the cell state $C_t$ as a conveyor belt that runs the length of the window. At every step "
                    "the LSTM takes a little off (forget gate) and puts a little on (input gate times candidate); "
                    "nothing else touches it. The chart shows the cell state of your model's most active units over one "
                    "window of your data. Slow, smooth lines are long memories; lines that jump at a particular date "
                    "belong to units that react to what happened then."),
    "gates_title": N_("3. Three gates and a candidate"),
    "gate_forget": N_("**Forget gate** $f_t$ decides how much of the previous memory to keep: 0 erases it, 1 keeps it "
                      "whole."),
    "gate_input": N_("**Input gate** $i_t$ decides how much of the new candidate gets written into memory."),
    "gate_candidate": N_("**Candidate** $\\tilde{C}_t$ is the new information proposed at this step, between −1 and 1."),
    "gate_output": N_("**Output gate** $o_t$ decides how much of the memory to show as the hidden state $h_t$, which is "
                      "all the forecast head ever reads."),
    "gates_chart": N_("Your model's forget and input gates on the same window: bright means open (near 1), dark means "
                      "closed (near 0)."),
    "ts_title": N_("4. Why an LSTM suits time series"),
    "nonlinear_title": N_("Nonlinear patterns over long spans"),
    "nonlinear_body": N_("Every gate is a nonlinear function of the current input and of the memory, so the same value can "
                         "mean different things after a rise than after a fall. If your model were linear, the line below "
                         "would be straight: it shows how the average forecast responds to a spike of growing size in the "
                         "last observation."),
    "lag_title": N_("A learned lag instead of a fixed one"),
    "lag_body": N_("ARIMA and the regression use lags that you or a search choose (say $y_{t-1}$ and $y_{t-12}$). The "
                   "LSTM learns from the data which past steps matter. The bars show how much your forecast moves when "
                   "one past value is nudged: the tall bars are the lags your model has learned to listen to."),
    "multi_title": N_("Several input variables"),
    "multi_body_cov": N_("At each step the LSTM reads all its inputs as one vector, so covariates enter naturally. The bars "
                         "show how strongly each input channel moves your model's forecast."),
    "multi_body_none": N_("Your model reads only the series itself, through these input channels: {channels}. Pick the US "
                          "macro sample on the Data page, keep its covariates and train again to see income, unemployment "
                          "and rates here."),
    "noise_title": N_("Robustness to noise"),
    "noise_body": N_("Real data are noisy. The gates filter what they let into memory, so one noisy value rarely throws "
                     "the forecast off. We added random noise (10% of the series' spread) to your window 30 times; the "
                     "band shows how far the 30 forecasts spread around the forecast from the clean window."),
    "table_title": N_("5. Regression, ARIMA and LSTM side by side, on your data"),
    "table_note": N_("Figures are from your latest training run (test part of {n} points). MASE below 1 beats the "
                     "seasonal-naive error in the training part."),
    "table_missing": N_("not trained"),
    "col_model": N_("model"),
    "col_past": N_("how it uses the past"),
    "col_season": N_("seasonality"),
    "col_intervals": N_("intervals"),
    "col_mase": N_("MASE (your data)"),
    "col_smape": N_("sMAPE (your data)"),
    "col_time": N_("fit time (s)"),
    "regression_past": N_("fixed lags plus a straight trend, weighted by least squares"),
    "regression_season": N_("Fourier terms (sine and cosine waves)"),
    "regression_intervals": N_("simulated from the regression's errors"),
    "arima_past": N_("differences and a few lags, order picked by AICc"),
    "arima_season": N_("seasonal lags, or Fourier terms for long seasons"),
    "arima_intervals": N_("exact, from the state-space model"),
    "lstm_past": N_("learns which steps matter; keeps a memory in the cell state"),
    "lstm_season": N_("learned from the lookback window"),
    "lstm_intervals": N_("conformal, from validation errors per step, never narrower further ahead"),
    "steps_back": N_("steps back"),
    "share_kept": N_("share still in the cell"),
    "forecast_change": N_("forecast change per unit nudge"),
    "spike": N_("spike in the last value (× series spread)"),
    "mean_forecast": N_("mean forecast"),
    "gru_title": N_("6. LSTM or GRU?"),
    "gru_body": N_("The GRU (gated recurrent unit, 2014) keeps the LSTM's idea, gates that decide what to keep, with "
                   "less machinery. It has no separate cell state: the hidden state is the memory. An **update gate** "
                   "z_t decides how much of the old state to keep, and a **reset gate** r_t decides how much of it to "
                   "use when writing the new candidate h̃_t. Three weight blocks instead of four make it about a "
                   "quarter smaller, and newer work often prefers it when data are short. Whether it forecasts better "
                   "is a question of the data, so here are both, trained on yours with the same windows, scaling and "
                   "settings."),
    "gru_missing": N_("To compare the two on your data, train with the **GRU** model chosen as well as the LSTM (**Train** "
                      "→ Models)."),
    "gru_note": N_("Half-life: how many steps until a unit keeps half of its memory if nothing new is written, ln 0.5 / "
                   "ln(mean gate), from the LSTM's forget gate and the GRU's update gate averaged over every window of "
                   "your series. The chart shows each unit of each network (the member whose gates Inside the LSTM "
                   "shows first)."),
    "col_params": N_("weights"),
    "col_half": N_("median half-life (steps)"),
    "col_longest": N_("longest half-life (steps)"),
    "half_axis": N_("half-life (steps, log scale)"),
}


def T(key: str) -> str:
    """One passage of the Learn page in the reader's language."""
    return _(TEXT[key])
