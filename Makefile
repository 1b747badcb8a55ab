# Consular Portal. `make run` serves the portal on the embedded default; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SYSTEM_TEST_PACKAGES := postgresql:initdb redis-server:redis-server chromium:chromium procps:pgrep

.PHONY: run test lint install install-test system-test-packages stack messages clean

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 12), "Python 3.12 is needed, found " + sys.version'
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  scripts/ensure-system-packages python3.12-venv 2>/dev/null || scripts/ensure-system-packages python3-venv; \
	  $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

system-test-packages:
	@scripts/ensure-system-packages $(SYSTEM_TEST_PACKAGES)

lint: install-test
	$(VENV)/bin/ruff check .

test: install-test system-test-packages lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Run the production processes of the Procfile on a local PostgreSQL and Redis (started for you).
stack: install-test system-test-packages
	$(PY) scripts/stack.py

# Refresh the translation catalogues (needs GNU gettext; the compiled .mo files are committed). The portal's
# own strings (consular_portal/, templates/) live in locale/; each app keeps its own in <app>/locale/.
# Fill new entries with scripts/fill_translations.py <translations.py> <locale dir>.
APPS := appointments passports inquiries
messages: install
	$(PY) manage.py makemessages -l ja -l zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' \
	  --ignore 'benchmarks/*' --ignore 'scripts/*' $(foreach app,$(APPS),--ignore '$(app)/*')
	@for app in $(APPS); do mkdir -p $$app/locale; \
	  (cd $$app && ../$(PY) ../manage.py makemessages -l ja -l zh_Hans) || exit 1; done

clean:
	rm -rf $(VENV) var
