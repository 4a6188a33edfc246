# progress-tracker: `make run` starts JupyterLab with a simulated class; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
JUPYTER_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: run test install labextension system-deps services lint pytest jstest wheel clean

run: install ## JupyterLab on a throw-away demo folder with a simulated class (SQLite, no Redis)
	@$(BIN)/python -m progress_tracker.demo $(JUPYTER_ROOT_FLAG) $(ARGS)

test: install system-deps services lint jstest pytest ## Every test: lint, TypeScript units, pytest

install: ## .venv with the package editable, the labextension built and linked (checked each time)
	@VENV=$(VENV) bash scripts/dev-install.sh

labextension: install

system-deps: ## Debian packages the tests drive (Chromium, InfluxDB 1.x, VictoriaMetrics)
	bash scripts/install-system-deps.sh

services: ## PostgreSQL and Redis on 127.0.0.1 (started if this machine has them stopped)
	bash scripts/start-services.sh

lint:
	$(BIN)/ruff check progress_tracker tests bench scripts
	$(BIN)/ruff format --check progress_tracker tests bench scripts
	cd labextension && PATH="$(abspath $(BIN)):$$PATH" jlpm lint:check

jstest:
	cd labextension && PATH="$(abspath $(BIN)):$$PATH" jlpm test

pytest:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

wheel: install ## The sdist and the wheel (with the labextension), as pip and PyPI build them
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) dist build labextension/node_modules labextension/lib progress_tracker/labextension
