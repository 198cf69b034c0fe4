# Two commands set a fresh machine up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
SOURCES := app.py manage.py pages ui services models
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-days install i18n catalogs lint check-translations browsers clean bench

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip uv

$(VENV)/.installed: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --locked --all-extras --inexact --quiet
	touch $@

install: $(VENV)/.installed

# Compiled catalogs are built, not committed.
catalogs: install
	$(BIN)/pybabel compile --use-fuzzy -d locales -D messages --statistics 2>&1 | tail -n 2

# Extract every marked string and merge it into the en and zh_CN catalogs.
i18n: install
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ --no-location --sort-output \
		-o locales/messages.pot $(SOURCES)
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete

run: catalogs
	$(BIN)/python manage.py prepare
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Two workers, a file's tests on one of them (module fixtures such as the browser's server).
test: catalogs lint
	$(BIN)/pytest -n 2 --dist loadfile

# Not part of `make test`: the suite but the browser tests, once per awkward moment with the
# whole process's clock set by Debian's faketime: New Year, a leap day, and 23:40 on a
# quarter's last day in UTC (already the next quarter at the office, UTC+8) and at the office.
MOMENTS ?= 2027-01-01T00:05:00 2028-02-29T12:00:00 2027-03-31T23:40:00 2027-03-31T15:40:00
test-days: catalogs
	@command -v faketime >/dev/null || { echo "needs faketime: apt-get install -y faketime"; exit 1; }
	@for moment in $(MOMENTS); do \
		echo "== the clock at $$moment UTC"; \
		TZ=UTC faketime "$$moment" $(BIN)/pytest -n 2 --dist loadfile -q -m "not browser" \
			-p no:cacheprovider || exit 1; \
	done

# Not part of `make test`: seeds the large data set once per backend, then times pages and metrics.
bench: catalogs
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
