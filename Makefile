# coprokg — two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := libowlapi-java default-jdk-headless chromium virtuoso-opensource-7-bin wrk
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-packages vendor run serve load test lint typecheck pytest normalize check-normalized bench check clean

# Debian packages: the OWL API (profile check), a JDK (javac, HermiT), Chromium (UI tests) and
# Virtuoso 7's programs virtuoso-t and isql-vt (the remote-store tests start their own server).
# wrk: the load generator of `make bench` (tests/benchmarks/test_bench_sparql.py).
# virtuoso-opensource-7-bin is the part of virtuoso-opensource that has them: the whole package
# would also install and start a system daemon on ports 1111 and 8890 of every interface, with
# the default dba password.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) system-packages
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Front-end tools from the npm registry — the API documentation pages (/docs: Swagger UI, /redoc:
# Redoc) and the SPARQL editor (/ui/sparql: YASGUI) — at the exact versions of
# api/frontend/package-lock.json, copied into api/static/vendor/ (git-ignored); the npm tree itself
# stays in .build/npm. Nothing is fetched from a CDN at run time.
VENDOR := api/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed
NPM_DIR := .build/npm
NPM_MANIFEST := api/frontend/package.json api/frontend/package-lock.json

$(VENDOR_STAMP): $(NPM_MANIFEST)
	@command -v npm >/dev/null || $(MAKE) system-packages APT_PACKAGES="nodejs npm"
	rm -rf $(NPM_DIR) $(VENDOR)
	mkdir -p $(NPM_DIR) $(VENDOR)/swagger-ui $(VENDOR)/redoc $(VENDOR)/yasgui
	cp $(NPM_MANIFEST) $(NPM_DIR)/
	npm ci --prefix $(NPM_DIR) --ignore-scripts --omit=peer --no-audit --no-fund --loglevel=error
	cd $(NPM_DIR)/node_modules/swagger-ui-dist && \
	  cp swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE NOTICE package.json $(CURDIR)/$(VENDOR)/swagger-ui/
	cd $(NPM_DIR)/node_modules/redoc && \
	  cp bundles/redoc.standalone.js bundles/redoc.standalone.js.LICENSE.txt LICENSE package.json $(CURDIR)/$(VENDOR)/redoc/
	# Redoc's menu shows a logo from its CDN: leave its source empty (the image then hides itself)
	sed -i 's#"https://cdn\.redoc\.ly/redoc/logo-mini\.svg"#""#' $(VENDOR)/redoc/redoc.standalone.js
	! grep -q 'cdn\.redoc\.ly' $(VENDOR)/redoc/redoc.standalone.js
	cd $(NPM_DIR)/node_modules/@zazuko/yasgui && \
	  cp build/yasgui.min.js build/yasgui.min.css package.json $(CURDIR)/$(VENDOR)/yasgui/
	# YASGUI reaches other machines only where it is not configured: class and property completion
	# asks Linked Open Vocabularies, new tabs query DBpedia, the endpoint list offers Wikidata. The page
	# configures all three away (api/static/sparql-init.js); here the addresses themselves go, so no
	# setting can bring them back (completion then fails quietly, the endpoint is this service's).
	sed -i -E -e 's#`\$$\{[A-Za-z_$$]+\}lov\.linkeddata\.es/dataset/lov/api/v2/autocomplete/terms\?#`about:blank\#lov-disabled?#' \
	  -e 's#https://dbpedia\.org/sparql#/sparql#g' -e 's#https://query\.wikidata\.org/bigdata/namespace/wdq/sparql#/sparql#g' \
	  -e '/^\/\/# sourceMappingURL=/d' $(VENDOR)/yasgui/yasgui.min.js
	! grep -qE 'lov\.linkeddata\.es|dbpedia\.org/sparql|query\.wikidata\.org|sourceMappingURL' $(VENDOR)/yasgui/yasgui.min.js
	touch $@

vendor: $(VENDOR_STAMP)

install: $(STAMP) $(VENDOR_STAMP)

load: install
	$(VENV)/bin/coprokg load

run: install load
	$(VENV)/bin/coprokg serve --host $(HOST) --port $(PORT)

serve: run

lint: install
	$(VENV)/bin/ruff check coprokg api tests
	$(VENV)/bin/ruff format --check coprokg api tests

typecheck: install
	$(VENV)/bin/mypy

normalize: install
	$(VENV)/bin/coprokg normalize

check-normalized: install
	$(VENV)/bin/coprokg normalize --check

check: install
	$(VENV)/bin/coprokg check

pytest: install
	$(VENV)/bin/pytest -m "not slow" -q --ignore=tests/benchmarks

test: install lint typecheck check-normalized pytest

bench: install
	$(VENV)/bin/pytest tests/benchmarks -q -s -p no:cacheprovider
	$(VENV)/bin/pytest -m slow -q -s -p no:cacheprovider --ignore=tests/benchmarks

clean:
	rm -rf $(VENV) .build $(VENDOR) var test-artifacts .mypy_cache .ruff_cache .pytest_cache
