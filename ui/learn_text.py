"""The Learn page's text in English and Korean. Each language is written on its own, not word for word."""

TEXT = {
    "en": {
        "title": "Learn: what an LSTM does, on your own model",
        "using_yours": "Every chart below comes from the LSTM you trained on **{name}**.",
        "using_demo": "You have not trained an LSTM yet, so the charts below use a small one trained just now on the airline passengers sample. Train your own on **Train** and this page will use it.",
        "why_title": "1. Why LSTMs were introduced",
        "why_body": (
            "A plain recurrent network reads a series one step at a time and squeezes everything it has seen into a single hidden vector. "
            "To learn from something that happened many steps ago, the training signal has to travel back through every step in between, "
            "and at each step it is multiplied by a factor that is usually below one. After a few dozen steps almost nothing is left: the "
            "gradient *vanishes*, and the network cannot learn long-term dependencies such as last year's peak.\n\n"
            "The LSTM (Hochreiter & Schmidhuber, 1997) adds a second path, the **cell state**, along which information is only scaled by the "
            "**forget gate**. When the forget gate stays close to 1, the memory and its gradient pass through almost untouched."
        ),
        "why_chart": "How much of what was written k steps ago is still in the cell at the end of the window: the product of the forget gates in between, for your model's units. The dashed line is a plain RNN whose signal shrinks by 0.6 per step, for comparison.",
        "cell_title": "2. The cell state: the path information travels",
        "cell_body": (
            "Think of the cell state $C_t$ as a conveyor belt that runs the length of the window. At every step the LSTM takes a little off "
            "(forget gate) and puts a little on (input gate times candidate); nothing else touches it. The chart shows the cell state of your "
            "model's most active units over one window of your data. Slow, smooth lines are long memories; lines that jump at a particular date "
            "belong to units that react to what happened then."
        ),
        "gates_title": "3. Three gates and a candidate",
        "gate_forget": "**Forget gate** $f_t$ decides how much of the previous memory to keep: 0 erases it, 1 keeps it whole.",
        "gate_input": "**Input gate** $i_t$ decides how much of the new candidate gets written into memory.",
        "gate_candidate": "**Candidate** $\\tilde{C}_t$ is the new information proposed at this step, between −1 and 1.",
        "gate_output": "**Output gate** $o_t$ decides how much of the memory to show as the hidden state $h_t$, which is all the forecast head ever reads.",
        "gates_chart": "Your model's forget and input gates on the same window: bright means open (near 1), dark means closed (near 0).",
        "ts_title": "4. Why an LSTM suits time series",
        "nonlinear_title": "Nonlinear patterns over long spans",
        "nonlinear_body": "Every gate is a nonlinear function of the current input and of the memory, so the same value can mean different things after a rise than after a fall. If your model were linear, the line below would be straight: it shows how the average forecast responds to a spike of growing size in the last observation.",
        "lag_title": "A learned lag instead of a fixed one",
        "lag_body": "ARIMA and the regression use lags that you or a search choose (say $y_{t-1}$ and $y_{t-12}$). The LSTM learns from the data which past steps matter. The bars show how much your forecast moves when one past value is nudged: the tall bars are the lags your model has learned to listen to.",
        "multi_title": "Several input variables",
        "multi_body_cov": "At each step the LSTM reads all its inputs as one vector, so covariates enter naturally. The bars show how strongly each input channel moves your model's forecast.",
        "multi_body_none": "Your model reads only the series itself, as two channels (change since the window's end, and the standardised level). Pick the US macro sample on the Data page, keep its covariates and train again to see income, unemployment and rates here.",
        "noise_title": "Robustness to noise",
        "noise_body": "Real data are noisy. The gates filter what they let into memory, so one noisy value rarely throws the forecast off. We added random noise (10% of the series' spread) to your window 30 times; the band shows how far the 30 forecasts spread around the forecast from the clean window.",
        "table_title": "5. Regression, ARIMA and LSTM side by side, on your data",
        "table_note": "Figures are from your latest training run (test part of {n} points). MASE below 1 beats the seasonal-naive error in the training part.",
        "table_missing": "not trained",
        "col_model": "model", "col_past": "how it uses the past", "col_season": "seasonality", "col_intervals": "intervals",
        "col_mase": "MASE (your data)", "col_smape": "sMAPE (your data)", "col_time": "fit time (s)",
        "regression_past": "fixed lags plus a straight trend, weighted by least squares",
        "regression_season": "Fourier terms (sine and cosine waves)",
        "regression_intervals": "simulated from the regression's errors",
        "arima_past": "differences and a few lags, order picked by AICc",
        "arima_season": "seasonal lags, or Fourier terms for long seasons",
        "arima_intervals": "exact, from the state-space model",
        "lstm_past": "learns which steps matter; keeps a memory in the cell state",
        "lstm_season": "learned from the lookback window",
        "lstm_intervals": "conformal, from validation errors per step",
        "steps_back": "steps back", "share_kept": "share still in the cell", "forecast_change": "forecast change per unit nudge",
        "spike": "spike in the last value (× series spread)", "mean_forecast": "mean forecast",
        "gru_title": "6. LSTM or GRU?",
        "gru_body": (
            "The GRU (gated recurrent unit, 2014) keeps the LSTM's idea, gates that decide what to keep, with less machinery. "
            "It has no separate cell state: the hidden state is the memory. An **update gate** z_t decides how much of the old "
            "state to keep, and a **reset gate** r_t decides how much of it to use when writing the new candidate h̃_t. "
            "Three weight blocks instead of four make it about a quarter smaller, and newer work often prefers it when data "
            "are short. Whether it forecasts better is a question of the data, so here are both, trained on yours with the "
            "same windows, scaling and settings."
        ),
        "gru_missing": "To compare the two on your data, train with the **GRU** model chosen as well as the LSTM (**Train** → Models).",
        "gru_note": (
            "Half-life: how many steps until a unit keeps half of its memory if nothing new is written, ln 0.5 / ln(mean gate), "
            "from the LSTM's forget gate and the GRU's update gate averaged over every window of your series. The chart shows "
            "each unit of each network (the member whose gates Inside the LSTM shows first)."
        ),
        "col_params": "weights", "col_half": "median half-life (steps)", "col_longest": "longest half-life (steps)",
        "half_axis": "half-life (steps, log scale)",
    },
    "ko": {
        "title": "배우기: 내 모델로 보는 LSTM의 작동 원리",
        "using_yours": "아래의 모든 차트는 **{name}** 데이터로 학습한 여러분의 LSTM에서 계산한 것입니다.",
        "using_demo": "아직 학습한 LSTM이 없어서, 방금 항공 승객 샘플로 작은 모델을 학습해 차트를 그렸습니다. **Train** 페이지에서 직접 모델을 학습하면 이 페이지가 그 모델을 사용합니다.",
        "why_title": "1. LSTM은 왜 등장했을까",
        "why_body": (
            "일반적인 순환 신경망(RNN)은 시계열을 한 시점씩 읽으면서 지금까지 본 모든 것을 하나의 은닉 벡터에 눌러 담습니다. "
            "여러 시점 전에 일어난 일에서 배우려면 학습 신호(기울기)가 그 사이의 모든 시점을 거슬러 올라가야 하는데, "
            "한 시점을 지날 때마다 대개 1보다 작은 값이 곱해집니다. 수십 시점만 지나도 신호는 거의 남지 않습니다. "
            "이것이 **기울기 소실**이고, 그래서 일반 RNN은 작년 이맘때의 정점 같은 장기 의존성을 잘 배우지 못합니다.\n\n"
            "LSTM(Hochreiter & Schmidhuber, 1997)은 **셀 상태**라는 두 번째 통로를 더했습니다. 이 통로에서 정보는 **망각 게이트** 값만큼만 줄어듭니다. "
            "망각 게이트가 1에 가깝게 유지되면 기억과 그 기울기가 거의 손실 없이 전달됩니다."
        ),
        "why_chart": "k 시점 전에 기록된 정보가 윈도 끝에서 셀에 얼마나 남아 있는지 보여 줍니다. 그 사이 망각 게이트 값들을 곱한 것으로, 여러분 모델의 유닛별 값입니다. 점선은 비교를 위해 그린 일반 RNN으로, 신호가 시점마다 0.6배씩 줄어드는 경우입니다.",
        "cell_title": "2. 셀 상태: 정보가 흐르는 통로",
        "cell_body": (
            "셀 상태 $C_t$는 윈도 전체를 따라 흐르는 컨베이어 벨트라고 생각하면 쉽습니다. 매 시점 LSTM은 벨트에서 조금 덜어 내고(망각 게이트), "
            "조금 올려놓습니다(입력 게이트 × 후보값). 그 밖에는 아무것도 셀 상태를 건드리지 않습니다. 아래 차트는 여러분 데이터의 한 윈도에서 "
            "가장 활발한 유닛들의 셀 상태입니다. 천천히 매끄럽게 움직이는 선은 오래가는 기억이고, 특정 날짜에 크게 움직이는 선은 그 시점의 사건에 반응하는 유닛입니다."
        ),
        "gates_title": "3. 세 개의 게이트와 후보값",
        "gate_forget": "**망각 게이트** $f_t$는 이전 기억을 얼마나 남길지 정합니다. 0이면 지우고, 1이면 그대로 둡니다.",
        "gate_input": "**입력 게이트** $i_t$는 새 후보값을 기억에 얼마나 기록할지 정합니다.",
        "gate_candidate": "**후보값** $\\tilde{C}_t$는 이번 시점에 새로 제안되는 정보이며 −1과 1 사이의 값입니다.",
        "gate_output": "**출력 게이트** $o_t$는 기억 중 얼마를 은닉 상태 $h_t$로 내보낼지 정합니다. 예측을 만드는 마지막 층은 이 $h_t$만 읽습니다.",
        "gates_chart": "같은 윈도에서 본 여러분 모델의 망각 게이트와 입력 게이트입니다. 밝을수록 열려 있고(1에 가까움), 어두울수록 닫혀 있습니다(0에 가까움).",
        "ts_title": "4. LSTM이 시계열에 잘 맞는 이유",
        "nonlinear_title": "길게 이어지는 비선형 패턴",
        "nonlinear_body": "각 게이트는 현재 입력과 기억에 대한 비선형 함수입니다. 그래서 같은 값이라도 상승 뒤에 왔는지 하락 뒤에 왔는지에 따라 다르게 해석할 수 있습니다. 모델이 선형이라면 아래 선은 직선이어야 합니다. 마지막 관측값에 점점 더 큰 급등을 넣었을 때 평균 예측이 어떻게 반응하는지 보여 줍니다.",
        "lag_title": "고정된 시차 대신 학습된 시차",
        "lag_body": "ARIMA와 회귀 모형은 사람이나 탐색 절차가 고른 시차($y_{t-1}$, $y_{t-12}$ 등)를 씁니다. LSTM은 어떤 과거 시점이 중요한지를 데이터에서 직접 배웁니다. 막대는 과거 값 하나를 살짝 바꿨을 때 예측이 얼마나 움직이는지를 나타냅니다. 높은 막대가 여러분의 모델이 귀 기울이도록 학습한 시차입니다.",
        "multi_title": "여러 입력 변수",
        "multi_body_cov": "LSTM은 매 시점 모든 입력을 하나의 벡터로 읽기 때문에 공변량을 자연스럽게 함께 쓸 수 있습니다. 막대는 입력 채널마다 예측을 얼마나 움직이는지 보여 줍니다.",
        "multi_body_none": "여러분의 모델은 시계열 자체만 두 채널(윈도 끝 대비 변화, 표준화된 수준)로 읽습니다. Data 페이지에서 미국 거시경제 샘플을 고르고 공변량을 유지한 채 다시 학습하면 소득, 실업률, 금리가 여기에 나타납니다.",
        "noise_title": "잡음에 대한 강건성",
        "noise_body": "실제 데이터에는 잡음이 있습니다. 게이트가 기억에 들어갈 정보를 걸러 주기 때문에 잡음이 섞인 값 하나로 예측이 크게 흔들리는 일은 드뭅니다. 여러분의 윈도에 무작위 잡음(시계열 표준편차의 10%)을 30번 넣어 보았습니다. 띠는 30개의 예측이 깨끗한 윈도의 예측 주변에 얼마나 퍼지는지를 보여 줍니다.",
        "table_title": "5. 회귀, ARIMA, LSTM을 내 데이터로 비교하기",
        "table_note": "가장 최근 학습 결과(테스트 구간 {n}개 시점)의 수치입니다. MASE가 1보다 작으면 학습 구간의 계절 나이브 오차보다 낫다는 뜻입니다.",
        "table_missing": "학습하지 않음",
        "col_model": "모델", "col_past": "과거를 쓰는 방식", "col_season": "계절성", "col_intervals": "예측 구간",
        "col_mase": "MASE (내 데이터)", "col_smape": "sMAPE (내 데이터)", "col_time": "학습 시간(초)",
        "regression_past": "정해 둔 시차와 직선 추세를 최소제곱으로 결합",
        "regression_season": "푸리에 항(사인·코사인 파형)",
        "regression_intervals": "회귀 오차로 시뮬레이션",
        "arima_past": "차분과 몇 개의 시차, 차수는 AICc로 선택",
        "arima_season": "계절 시차, 긴 계절은 푸리에 항",
        "arima_intervals": "상태공간 모형에서 정확히 계산",
        "lstm_past": "중요한 시점을 스스로 학습하고 셀 상태에 기억을 유지",
        "lstm_season": "입력 윈도에서 학습",
        "lstm_intervals": "검증 오차로 만든 컨포멀 구간(시점별)",
        "steps_back": "몇 시점 전", "share_kept": "셀에 남은 비율", "forecast_change": "단위 변화당 예측 변화",
        "spike": "마지막 값의 급등 크기(× 표준편차)", "mean_forecast": "평균 예측",
        "gru_title": "6. LSTM과 GRU, 무엇을 쓸까?",
        "gru_body": (
            "GRU(게이트 순환 유닛, 2014)는 무엇을 기억할지 게이트가 정한다는 LSTM의 생각은 그대로 두고 구조를 줄인 모델입니다. "
            "따로 떨어진 셀 상태가 없고 은닉 상태가 곧 기억입니다. **업데이트 게이트** z_t가 이전 상태를 얼마나 유지할지 정하고, "
            "**리셋 게이트** r_t가 새 후보 h̃_t를 만들 때 이전 상태를 얼마나 참고할지 정합니다. "
            "가중치 묶음이 넷이 아니라 셋이라 파라미터가 약 4분의 1 적고, 데이터가 짧을 때는 최근 연구에서 GRU를 더 선호하기도 합니다. "
            "어느 쪽이 더 잘 예측하는지는 데이터에 달려 있으므로, 같은 윈도·스케일링·설정으로 여러분의 데이터에 둘 다 학습한 결과를 나란히 보여 줍니다."
        ),
        "gru_missing": "두 모델을 내 데이터로 비교하려면 **학습** 페이지의 모델 목록에서 LSTM과 함께 **GRU**도 선택해 학습하세요.",
        "gru_note": (
            "반감기: 새로 쓰는 내용이 없을 때 유닛의 기억이 절반으로 줄어드는 데 걸리는 시점 수로, ln 0.5 / ln(게이트 평균)입니다. "
            "LSTM은 삭제 게이트, GRU는 업데이트 게이트를 시계열의 모든 윈도에 대해 평균해 계산했습니다. 차트의 점 하나가 "
            "각 네트워크의 유닛 하나입니다(LSTM 내부 페이지가 처음 보여 주는 앙상블 멤버 기준)."
        ),
        "col_params": "가중치 수", "col_half": "반감기 중앙값(시점)", "col_longest": "가장 긴 반감기(시점)",
        "half_axis": "반감기(시점, 로그 눈금)",
    },
}
