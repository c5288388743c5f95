# The README's commands. Each target installs the project into .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format sweep explore calibrate calibrate-holdout check bench docs mutate clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## run: replay the 2010 embargo (joint stock vs the stocks of 2010) into results/embargo_2010/, its report set against the 2010-2012 record and over 100 samples of its uncertain inputs
run: $(STAMP)
	$(BIN)/stockpile run scenarios/embargo_2010.yaml -o results/embargo_2010 --report --compare scenarios/embargo_2010_historical.yaml \
		--record scenarios/records/rare_earths_2010_2012.csv --uncertainty 100

## test: lint, the test suite, and the scenario regression gate
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 -q
	$(BIN)/stockpile check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## sweep: Monte Carlo grid of the fair ratio x embargo length, with a release cap so that the ratio binds (docs/getting-started-research.md)
sweep: $(STAMP)
	$(BIN)/stockpile sweep scenarios/embargo_stochastic.yaml \
		--set "agreement.release_cap_t_per_day={light_ree: 15, heavy_ree: 0.3}" \
		--grid agreement.ratio.japan=0.1:0.9:0.2 \
		--grid shocks.china_embargo_both.duration_days.mean=60:300:60 \
		--runs 50 -o results/sweep_ratio_embargo

## explore: the what-if explorer of a six-month embargo of 2026 (4 axes, 1,008 points) and the report that links to it, in results/long_embargo_6m/
explore: $(STAMP)
	$(BIN)/stockpile explore scenarios/long_embargo_6m.yaml \
		--axis shocks.china_embargo.end=151:331:30 \
		--axis agreement.ratio.japan=0.1:0.9:0.1 \
		--axis agreement.pool.contributions.eu.light_ree.days=0:90:30 \
		--axis agreement.mechanism=fair_ratio,proportional_to_demand,equal_cover,hybrid \
		-o results/long_embargo_6m/explorer.html
	$(BIN)/stockpile report scenarios/long_embargo_6m.yaml -o results/long_embargo_6m/report.html

# The fit of the 2010 replay's market: make calibrate's command, and make calibrate-holdout's with one window more
CALIBRATE_2010 = $(BIN)/stockpile calibrate scenarios/embargo_2010_historical.yaml \
	--record scenarios/records/rare_earths_2010_2012.csv \
	--fit market.light_ree.price.sensitivity=0.5:12 \
	--fit market.heavy_ree.price.sensitivity=0.5:20 \
	--fit market.light_ree.price.adjustment_days,market.heavy_ree.price.adjustment_days=5:180 \
	--fit market.light_ree.stocking.precaution_gain,market.heavy_ree.stocking.precaution_gain=0:6 \
	--fit market.light_ree.risk.memory_days,market.heavy_ree.risk.memory_days=30:1500 \
	--fit market.light_ree.demand.substitution.max_share,market.heavy_ree.demand.substitution.max_share=0.01:0.6 \
	--fit shocks.china_japan_halt.leak_share=0:0.7 \
	--iterations 40 --workers 2 --starts 5

## calibrate: fit the 2010 replay's market to the 2010-2012 record; the rows it holds out are those the record marks sample=out (docs/model-vs-record.md)
calibrate: $(STAMP)
	$(CALIBRATE_2010) -o results/calibration

## calibrate-holdout: the same fit with the record's prices from July 2011 on held out as well, into results/calibration-holdout/ (a cross-check of the shipped fit, which uses every price; docs/model-vs-record.md)
calibrate-holdout: $(STAMP)
	$(CALIBRATE_2010) --hold-out price@2011-07-01:2012-12-31 -o results/calibration-holdout

## check: scenario regression check against scenarios/baselines/
check: $(STAMP)
	$(BIN)/stockpile check

## bench: runs/s of single runs and sweeps, and peak memory
bench: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

## mutate: mutation testing of the kernel, rules, metrics, fast path and plan (hours; not part of `make test`;
## docs/mutation-testing.md). MUTATE_CHILDREN=1 leaves a core free; MUTANTS='simulator.release.*' tests a subset;
## a second run retests only what changed.
MUTATE_CHILDREN ?= 2
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/python tools/mutation_summary.py

## docs: build the documentation site (strict) into site/
docs: $(STAMP)
	$(BIN)/python -m mkdocs build --strict

clean:
	rm -rf results site mutants .pytest_cache .hypothesis
