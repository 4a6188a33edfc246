# progress-tracker: `make run` starts JupyterLab with a simulated class; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PREFIX = $(abspath $(VENV))
LABEXT_OUT := progress_tracker/labextension
JUPYTER_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

LABEXT_SOURCES := $(shell find labextension/src labextension/style -type f 2>/dev/null) \
	labextension/package.json labextension/yarn.lock labextension/tsconfig.json

.PHONY: run test install labextension system-deps services lint pytest jstest wheel clean

run: install ## JupyterLab on the embedded default (SQLite, no Redis) with a simulated class
	$(BIN)/jupyter lab $(JUPYTER_ROOT_FLAG) --ProgressTracker.demo_class=True $(ARGS)

test: install system-deps services lint jstest pytest ## Every test: lint, TypeScript units, pytest

install: $(VENV)/.installed labextension
	@mkdir -p $(PREFIX)/etc/jupyter/jupyter_server_config.d $(PREFIX)/share/jupyter/labextensions
	@cp jupyter-config/server-config/progress_tracker.json $(PREFIX)/etc/jupyter/jupyter_server_config.d/
	@ln -sfn $(abspath $(LABEXT_OUT)) $(PREFIX)/share/jupyter/labextensions/progress-tracker

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

labextension: $(LABEXT_OUT)/package.json

$(LABEXT_OUT)/package.json: $(VENV)/.installed $(LABEXT_SOURCES)
	cd labextension && PATH="$(PREFIX)/bin:$$PATH" jlpm install --immutable \
		&& PATH="$(PREFIX)/bin:$$PATH" jlpm build:prod
	touch $@

system-deps: ## Debian packages the tests drive (Chromium, InfluxDB 1.x, VictoriaMetrics)
	bash scripts/install-system-deps.sh

services: ## PostgreSQL and Redis on 127.0.0.1 (started if this machine has them stopped)
	bash scripts/start-services.sh

lint:
	$(BIN)/ruff check progress_tracker tests bench
	$(BIN)/ruff format --check progress_tracker tests bench
	cd labextension && PATH="$(PREFIX)/bin:$$PATH" jlpm lint:check

jstest:
	cd labextension && PATH="$(PREFIX)/bin:$$PATH" jlpm test

pytest:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

wheel: labextension ## A wheel carrying the prebuilt labextension
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation -w dist .

clean:
	rm -rf $(VENV) dist build labextension/node_modules labextension/lib $(LABEXT_OUT)
