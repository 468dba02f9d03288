# Quick start:  make run   (set up, then extract data/raw/ into data/processed/)
#               make test  (set up, then run the test suite)
.PHONY: setup run test lint typecheck model bench eval clean

VENV := .venv/bin
RAW := data/raw
OUT := data/processed

setup:
	@bash scripts/setup.sh

run: setup
	$(VENV)/kamerbrief run $(RAW) --out $(OUT)

test:
	@WITH_BROWSER=1 bash scripts/setup.sh
	$(VENV)/python -m pytest -q

lint: setup
	$(VENV)/ruff check src tests
	$(VENV)/ruff format --check src tests

typecheck: setup
	$(VENV)/mypy

model: setup
	$(VENV)/kamerbrief build-model

eval: run
	$(VENV)/kamerbrief eval --gold tests/gold --pred $(OUT) --floors tests/floors.json

bench: setup
	$(VENV)/python -m bench.run

clean:
	rm -rf $(OUT)/*.json $(OUT)/errors.jsonl
