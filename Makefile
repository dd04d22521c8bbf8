# Two commands for a fresh machine:  make run  (the app on its sample data)  and  make test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: run test bench install install-dev clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: $(VENV)/.runtime
	$(BIN)/python -m streamlit run app.py --server.address $(HOST) --server.port $(PORT)

test: $(VENV)/.dev
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	$(BIN)/python -m bench

# After changing user-facing text: extract every message into the template and add the new ones to the Korean
# catalogue (translate the empty msgstr entries; tests/test_i18n.py fails until every message has its Korean).
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k Text --no-location --sort-output --project "LSTM Lens" \
		--copyright-holder "the LSTM Lens authors" -o core/i18n/locale/lstm_lens.pot .
	$(BIN)/pybabel update -i core/i18n/locale/lstm_lens.pot -d core/i18n/locale -D lstm_lens -l ko \
		--no-fuzzy-matching --ignore-obsolete --no-wrap

clean:
	rm -rf $(VENV) .pytest_cache
