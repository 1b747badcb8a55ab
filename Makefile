# Consular Portal. `make run` serves the portal on the embedded default; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SYSTEM_TEST_PACKAGES := postgresql:initdb redis-server:redis-server chromium:chromium procps:pgrep dovecot-imapd:dovecot

.PHONY: run test test-fast lint install install-test system-test-packages stack messages clean bench

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

# The fast lane: the tests marked pure (plain functions), in seconds, on the embedded SQLite without Redis;
# no PostgreSQL, Redis, worker, SMTP peer or browser is started (tests/conftest.py).
test-fast: install-test
	$(PY) -m pytest -m pure -p no:cacheprovider $(PYTEST_ARGS)

# Every benchmark, one after the other, each against its baseline in the same run (benchmarks/README.md);
# the tables are written to benchmarks/results.md. BENCH_SECONDS a page (default 8).
bench: install-test system-test-packages
	@scripts/ensure-system-packages wrk:wrk
	BENCH_SECONDS=$(BENCH_SECONDS) $(PY) benchmarks/run_all.py

# Run the production processes of the Procfile on a local PostgreSQL and Redis (started for you).
stack: install-test system-test-packages
	$(PY) scripts/stack.py

# Refresh the translation catalogues, then compile them (needs GNU gettext; the compiled .mo files are
# committed). The .po files are the only source of translations: translate the empty entries this leaves with
# any PO editor, using docs/glossary.md, and run this again (docs/translations.md). The portal's own strings
# (consular_portal/, templates/) live in locale/; each app keeps its own in <app>/locale/. A string that moves
# from one catalogue to another keeps its translation (the catalogues as they were serve as a compendium);
# gettext's fuzzy guesses are emptied rather than kept, so nothing half-right reaches a page.
APPS := appointments passports inquiries
CATALOGUES := locale $(addsuffix /locale,$(APPS))
MAKEMESSAGES := manage.py makemessages -l ja -l zh_Hans --no-obsolete --add-location file
messages: install
	@mkdir -p var && for lang in ja zh_Hans; do msgcat --use-first -o var/compendium-$$lang.po \
	  $(foreach c,$(CATALOGUES),$(c)/$$lang/LC_MESSAGES/django.po) || exit 1; done
	$(PY) $(MAKEMESSAGES) --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' \
	  --ignore 'benchmarks/*' --ignore 'scripts/*' $(foreach app,$(APPS),--ignore '$(app)/*')
	@for app in $(APPS); do mkdir -p $$app/locale; \
	  (cd $$app && ../$(PY) ../$(MAKEMESSAGES)) || exit 1; done
	@for c in $(CATALOGUES); do for lang in ja zh_Hans; do po=$$c/$$lang/LC_MESSAGES/django.po; \
	  msgattrib --clear-fuzzy --empty -o $$po $$po && \
	  msgmerge --quiet --no-fuzzy-matching --compendium=var/compendium-$$lang.po -o $$po $$po $$po || exit 1; \
	  done; done
	$(PY) manage.py compilemessages --ignore '.venv'

clean:
	rm -rf $(VENV) var
