# Two commands do all the set-up on a fresh machine:
#   make run    -> virtual environment, install, catalogs, database migrations, the bot (long polling)
#   make test   -> the same set-up plus the test suite (SQLite, and PostgreSQL when reachable)
# and one to look around: make demo -> synthetic responses in ./izdes-demo.db, the dashboard on them
PYTHON ?= python3
# Four test processes on two cores: most tests wait on sockets and subprocesses, not the CPU;
# worksteal keeps the long disclosure tests from ending up last on one worker. The twenty
# slowest tests are listed at the end of every run (docs/benchmarks.md keeps a recent list).
PYTEST_ARGS ?= -n 4 --dist worksteal --durations=20
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install run chat report demo test catalogs extract update-catalogs lock clean

# The dependencies at the versions in constraints.txt: the set CI tests and the image holds.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
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
	$(BIN)/mypy --strict conversations/ stats/ storage/
	$(BIN)/pytest $(PYTEST_ARGS)

# constraints.txt resolved afresh from pyproject.toml (the newest versions it allows), in a
# virtual environment of its own; its comment lines are kept.
LOCK_VENV = $(VENV)-lock
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet '.[dev]' 'setuptools>=77'
	{ grep '^#' constraints.txt; \
	  $(LOCK_VENV)/bin/pip freeze --all --exclude izdes-bot --exclude pip; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) locales/*/LC_MESSAGES/*.mo
