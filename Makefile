# Two commands do all the set-up on a fresh machine:
#   make run    -> virtual environment, install, catalogs, database migrations, the bot (long polling)
#   make test   -> the same set-up plus the test suite (SQLite, and PostgreSQL when reachable)
# and one to look around: make demo -> synthetic responses in ./izdes-demo.db, the dashboard on them
PYTHON ?= python3
# Four test processes on two cores: most tests wait on sockets and subprocesses, not the CPU;
# worksteal keeps the long disclosure tests from ending up last on one worker.
PYTEST_ARGS ?= -n 4 --dist worksteal
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install run chat report demo test catalogs extract update-catalogs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) catalogs

catalogs: $(STAMP)
	PYBABEL=$(BIN)/pybabel scripts/catalogs.sh compile

extract: $(STAMP)
	PYBABEL=$(BIN)/pybabel scripts/catalogs.sh extract

update-catalogs: extract
	PYBABEL=$(BIN)/pybabel scripts/catalogs.sh update

run: install
	$(BIN)/izdes run

chat: install
	$(BIN)/izdes chat

report: install
	$(BIN)/izdes report

demo: install
	$(BIN)/izdes demo --serve $(DEMO_ARGS)

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy --strict conversations/ stats/
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) locales/*/LC_MESSAGES/*.mo
