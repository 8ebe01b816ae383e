# Sumaho Desk — set-up, run and test on Debian 12 with Python 3.11.
#   make run    create .venv, install, create the demo database, serve on :8501
#   make test   install dev tools and Debian's chromium if missing, run every test
#   make bench  performance targets of DESIGN.md §10
#   make admin USER_NAME=name | make backup | make restore FILE=…

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test bench chromium clean-db admin backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

run: $(VENV)/.runtime
	$(BIN)/python -m db init --demo
	$(BIN)/streamlit run serve.py --server.port $(PORT)

test: $(VENV)/.dev chromium
	$(BIN)/ruff check --select F,E9 --exclude .venv .
	$(BIN)/python -m pytest -n 2 -q

bench: $(VENV)/.dev
	$(BIN)/python -m bench

admin: $(VENV)/.runtime
	@test -n "$(USER_NAME)" || { echo "usage: make admin USER_NAME=name"; exit 2; }
	$(BIN)/python -m db create-admin $(USER_NAME)

backup: $(VENV)/.runtime
	$(BIN)/python -m db backup

restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "usage: make restore FILE=db/backups/desk-….sqlite3"; exit 2; }
	$(BIN)/python -m db restore $(FILE)

clean-db:
	rm -f db/desk.sqlite3 db/desk.sqlite3-wal db/desk.sqlite3-shm
