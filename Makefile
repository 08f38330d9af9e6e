# Polosa: `make run` serves the demo site, `make test` runs the test suite. See README.md.
SHELL := /bin/bash
# The first Python >= 3.11 on the PATH (macOS often has an older python3 first).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
MANAGE := $(BIN)/python manage.py

.PHONY: help run install install-dev test lint format check messages serve bench clean

## help: list the targets with what each does
help:
	@grep -hE '^## [a-z-]+: ' $(MAKEFILE_LIST) | sed -E 's/^## ([a-z-]+): /  \1\t/' | expand -t 18

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Polosa needs Python 3.11 or newer on the PATH (python3.11, python3.12 or python3.13)." >&2; exit 1; fi
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV). On Debian/Ubuntu install the venv module: sudo apt install python3-venv" >&2; exit 1; }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"

# requirements/*.txt are locks resolved from pyproject.toml by `make lock`; installs are repeatable.
$(VENV)/.installed: $(BIN)/python requirements/run.txt
	@echo "Installing Polosa's dependencies into $(VENV) ..."
	@$(PIP_INSTALL) -r requirements/run.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	@echo "Installing test tools into $(VENV) ..."
	@$(PIP_INSTALL) -r requirements/dev.txt
	@touch $@

## install: the virtualenv with the site's dependencies (install-dev: with the test tools)
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: install, migrate, load the demo content, create an editor, serve the site and the worker
run: install
	@mkdir -p var
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) load_demo
	@$(MANAGE) ensure_editor
	@$(MANAGE) run_site --host $(HOST) --port $(PORT)

# pytest-xdist processes for make test: one per core (auto); TEST_WORKERS=0 runs in this one process.
# Each worker has its own database, cache key prefix and media folder (polosa/settings/test.py). Tests
# are handed out one by one in collection order (--dist load), so each worker still runs pytest-django's
# order: the transactional tests, whose flush empties the tables that migrations filled (the root
# collection, the site), after every test that relies on those rows. --dist loadfile breaks that order
# (a file's database tests would follow another file's browser tests in the same worker).
TEST_WORKERS ?= auto

## test: the whole suite, a worker per core (TEST_WORKERS=N); SQLite, in-memory cache unless DATABASE_URL/REDIS_URL
test: install-dev
	@$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

# The apps' template folders; djhtml indents the .html files in them.
TEMPLATE_DIRS := $(wildcard polosa/templates polosa/*/templates)

## lint: ruff (checks, formatting), mypy on the typed packages ([tool.mypy]), djhtml on the templates
lint: install-dev
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy
	@$(BIN)/djhtml --check $(TEMPLATE_DIRS)

## format: format and fix the code with ruff, indent the templates with djhtml
format: install-dev
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .
	@$(BIN)/djhtml $(TEMPLATE_DIRS)

## check: Django's system checks and unmade migrations
check: install-dev
	@$(MANAGE) check
	@$(MANAGE) makemigrations --check --dry-run

## messages: refresh the Russian .po files from the code and compile them
messages: install-dev
	@$(BIN)/python -m polosa.core.i18n_tools update
	@$(BIN)/python -m polosa.core.i18n_tools compile

clean:
	rm -rf var/cache var/static var/test-media

## lock: re-resolve requirements/*.txt after changing dependencies in pyproject.toml
lock: $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	@for extras in "run:" "dev:--extra dev" "s3:--extra s3"; do name=$${extras%%:*}; \
	  $(BIN)/uv pip compile pyproject.toml $${extras#*:} --universal --python-version 3.11 --no-header --quiet \
	  -o requirements/$$name.txt; done

.PHONY: bench-listings
## bench-listings: cold render times of /news/ and a section page over N generated articles
## (default 100000); point DATABASE_URL at PostgreSQL for the figures that count.
bench-listings: install-dev
	@mkdir -p var
	@$(MANAGE) migrate --noinput -v 0
	@$(BIN)/python -m benchmarks.listings --articles $(or $(N),100000) $(BENCH_ARGS)

.PHONY: bench-rates
## bench-rates: time a 365-day rates backfill from saved documents (DAYS=365); point DATABASE_URL at
## PostgreSQL for the figure that counts.
bench-rates: install-dev
	@mkdir -p var
	@$(MANAGE) migrate --noinput -v 0
	@$(BIN)/python -m benchmarks.rates_backfill --days $(or $(DAYS),365)

.PHONY: bench-search
## bench-search: p50/p95 of full-text search over N generated articles (default 100000); point
## DATABASE_URL at PostgreSQL for the figures that count.
bench-search: install-dev
	@mkdir -p var
	@$(MANAGE) migrate --noinput -v 0
	@$(BIN)/python -m benchmarks.search --articles $(or $(N),100000) $(BENCH_ARGS)

.PHONY: serve
## serve: production settings served by granian (one worker per CPU) with hashed, compressed static
## files. Needs SECRET_KEY and ALLOWED_HOSTS (environment or .env); without them a random key is kept in
## var/secret-key and 127.0.0.1,localhost are allowed. HTTPS=0 for plain HTTP without a TLS proxy in
## front (no HTTPS redirect, cookies not marked secure). WORKERS=N, SERVE_ARGS="--interface wsgi".
HTTPS ?= 1
serve: install
	@mkdir -p var
	@if [ -z "$$SECRET_KEY" ] && ! grep -qs '^SECRET_KEY=.' .env && [ ! -s var/secret-key ]; then \
	  $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key; fi
	@set -e; export DJANGO_SETTINGS_MODULE=polosa.settings.production; \
	  if [ -z "$$SECRET_KEY" ] && ! grep -qs '^SECRET_KEY=.' .env; then export SECRET_KEY="$$(cat var/secret-key)"; fi; \
	  if [ -z "$$ALLOWED_HOSTS" ] && ! grep -qs '^ALLOWED_HOSTS=.' .env; then export ALLOWED_HOSTS=127.0.0.1,localhost; fi; \
	  if [ "$(HTTPS)" = "0" ]; then export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0; fi; \
	  $(MANAGE) migrate --noinput -v 0; \
	  exec $(MANAGE) serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS)) $(SERVE_ARGS)

.PHONY: edge
## edge: Varnish in front of `make serve` (HTTPS=0), the way production runs: readers use
## http://127.0.0.1:$(EDGE_PORT)/ (EDGE_PORT, default 6081), the app stays on PORT (8000). Pages stay
## at the edge until a publish purges them by key (CDN_PURGE_BACKEND=varnish), the shared pieces are
## assembled by ESI, and stale pages are served while the app is down (docs/deploy/varnish.md).
## Needs Varnish (apt install varnish varnish-modules). Ctrl-C stops both.
EDGE_PORT ?= 6081
# esi: Varnish assembles the news feed into each page; client: readers' browsers fetch it (faster edge).
EDGE_INCLUDES ?= esi
edge: install
	@command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ] || \
	  { echo "make edge needs Varnish with vmod-xkey: apt install varnish varnish-modules" >&2; exit 1; }
	@set -m; \
	  CDN_PURGE_BACKEND=varnish CDN_PURGE_LOCATION=http://127.0.0.1:$(EDGE_PORT) POLOSA_EDGE_INCLUDES=$(EDGE_INCLUDES) \
	  POLOSA_TRUSTED_PROXIES=1 SITE_URL="$${SITE_URL:-http://127.0.0.1:$(EDGE_PORT)}" \
	    $(MAKE) --no-print-directory serve HTTPS=0 PORT=$(PORT) & app=$$!; \
	  trap 'kill -TERM -- -$$app 2>/dev/null; wait $$app 2>/dev/null' EXIT; \
	  $(MANAGE) run_edge --port $(EDGE_PORT) --backend 127.0.0.1:$(PORT)

.PHONY: bench
## bench: generate N articles (default 100000), serve them with production settings and measure home,
## article, news, section, tag, search and RSS cold and warm with wrk, beside nginx serving the same
## article as a static file; publish-to-visible and worker memory; then Varnish in front (the article
## warm, the article pages under one publish a second, publish-to-visible) and Django's own cache
## middleware on the same article. Needs wrk (apt install wrk nginx varnish varnish-modules).
## DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis; BENCH_ARGS="--duration 5 --workers 2".
bench: install-dev
	@mkdir -p var/bench
	@$(BIN)/python -m benchmarks.bench --articles $(or $(N),100000) $(BENCH_ARGS)

.PHONY: bench-cold
## bench-cold: only the cold article of `make bench` (page cache off, wrk over 2,000 sample articles of N,
## default 100000): requests/s, p50/p99 and the app's and PostgreSQL's CPU per request. Quick to repeat,
## so two versions of the code can be measured side by side; writes var/bench/cold_article.json.
bench-cold: install-dev
	@mkdir -p var/bench
	@$(BIN)/python -m benchmarks.cold_article --articles $(or $(N),100000) $(BENCH_ARGS)

.PHONY: faults
## faults: under wrk load, kill -9 Redis, stop PostgreSQL, kill the worker while scheduled items fall
## due and kill -9 an app worker, each on a throwaway Redis and PostgreSQL cluster on 127.0.0.1; check
## 5xx on cached pages, lost publishes, late scheduled items and stale pages after recovery, then soak
## at 80% of capacity for SOAK minutes (default 10). Needs wrk, redis-server and the PostgreSQL server.
## FAULTS_ARGS="--phases redis,pg --max-minutes 20"; writes var/faults/result.json.
faults: install-dev
	@mkdir -p var/faults
	@$(BIN)/python -m benchmarks.faults --soak-minutes $(or $(SOAK),10) $(FAULTS_ARGS)

.PHONY: assets bench-live
## assets: refresh the vendored browser libraries (hls.js) and the site's fonts (PT Serif, cut by
## scripts/subset_fonts.py) from the npm registry; needs Node, npm and the dev extra.
## The copies are committed, so `make run` needs no Node.
assets: install-dev
	@npm ci --no-audit --no-fund
	@$(BIN)/python scripts/subset_fonts.py node_modules
	@# Without its source map, whose reference would break the hashed (manifest) static storage.
	@sed '/^\/\/# sourceMappingURL=/d' node_modules/hls.js/dist/hls.min.js > polosa/live/static/live/vendor/hls.min.js
	@cp node_modules/hls.js/LICENSE polosa/live/static/live/vendor/hls.LICENSE.txt
	@echo "hls.js $$(node -p 'require("hls.js/package.json").version') copied to polosa/live/static/live/vendor/"

## bench-live: READERS (default 1000) event-stream readers of one live blog against a local server;
## median and 99th percentile from an editor's save to delivery. Needs Redis (REDIS_URL).
bench-live: install-dev
	@mkdir -p var
	@$(BIN)/python -m benchmarks.live --readers $(or $(READERS),1000) $(BENCH_ARGS)

.PHONY: bench-nlp
## bench-nlp: entity precision/recall/F1 per type (people, organisations, places) of the tag
## suggestions on the gold-annotated set benchmarks/nlp_gold.jsonl, the time of one suggestion for a
## 5,000-character article, the models' load time and memory; writes var/bench/nlp.json.
## NLP_ARGS="--runs 50 --check" (exit 1 when a target is missed).
bench-nlp: install-dev
	@mkdir -p var/bench
	@$(BIN)/python -m benchmarks.nlp $(NLP_ARGS)

.PHONY: bench-wire
## bench-wire: ingest ITEMS (default 10000) agency items from files of mixed formats (NewsML-G2, ninjs,
## RSS, Atom) with planted duplicates, report items/s and de-duplication correctness, then the inbox
## page's p50/p95 at INBOX (default 100000) items; point DATABASE_URL at PostgreSQL for the figures
## that count. Writes var/bench/wire.json.
bench-wire: install-dev
	@mkdir -p var/bench
	@$(MANAGE) migrate --noinput -v 0
	@$(BIN)/python -m benchmarks.wire --items $(or $(ITEMS),10000) --inbox-items $(or $(INBOX),100000) $(BENCH_ARGS)

.PHONY: bench-admin
## bench-admin: server times of the admin (dashboard, explorer, page search, edit form, save, publish)
## as an editor over N generated articles (default 100000); point DATABASE_URL at PostgreSQL.
bench-admin: install-dev
	@mkdir -p var
	@$(MANAGE) migrate --noinput -v 0
	@$(BIN)/python -m benchmarks.admin --articles $(or $(N),100000) $(BENCH_ARGS)
