# Two commands matter: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install messages lint format bench loadtest backup restore ci clean totp

$(BIN)/.installed: pyproject.toml
	@scripts/ensure-system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

# .po → .mo without GNU gettext (polib), so a fresh machine needs nothing more.
messages: install
	@$(MANAGE) compile_translations

run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@HOST=$(HOST) PORT=$(PORT) scripts/run-dev

test: messages
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The current authenticator code of a demo staff account: make totp LOGIN=motcua.tuphap
totp: install
	@$(MANAGE) demo_totp $(LOGIN)

bench: messages
	$(BIN)/python -m benchmarks

# Database dump + every stored file with SHA-256, into var/backups/<UTC stamp>/.
backup: install
	scripts/backup $(BACKUP_ARGS)

# Rebuild an EMPTY installation: make restore DIR=var/backups/<stamp> [FORCE=1]
restore: install
	@test -n "$(DIR)" || { echo "usage: make restore DIR=var/backups/<stamp> [FORCE=1]"; exit 2; }
	scripts/restore $(DIR) $(if $(FORCE),--force)

# Locust against gunicorn + PostgreSQL + Redis + a worker (scripts/loadtest for the knobs).
loadtest: messages
	scripts/loadtest

ci:
	bash .ci/run

clean:
	rm -rf var/broker var/cache var/celery-results var/test-artifacts
