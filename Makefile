# The two set-up commands: `make up` runs the product, `make test` runs every test.
# Both install what they need first (uv, then the locked dependencies).

UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.PHONY: up test install lint schema frontend frontend-test timescaledb

up: install
	@if command -v $(NPM) >/dev/null; then $(MAKE) --no-print-directory frontend; \
	else echo "npm not found: serving the API without the web frontend (install Node.js 20+ for it)"; fi
	$(UV) run stonks up

test: install frontend-test
	$(UV) run pytest

# The web frontend: the locked dependencies, then the build (frontend/dist, which the API
# serves at /). npm ci runs again whenever the lock file changes.
NPM ?= npm

frontend: frontend/node_modules/.installed
	cd frontend && $(NPM) run --silent build

# The committed GraphQL types must match schema.graphql; then the unit tests.
frontend-test: frontend/node_modules/.installed
	cd frontend && $(NPM) run --silent codegen:check
	$(MAKE) --no-print-directory frontend
	cd frontend && $(NPM) test

frontend/node_modules/.installed: frontend/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "npm not found: install Node.js 20+ (Debian: apt-get install nodejs npm)"; exit 1; }
	cd frontend && $(NPM) ci --no-audit --no-fund
	touch $@

install: $(UV)
	$(UV) sync --frozen --quiet

# uv comes from PyPI into a private virtualenv, so the system Python stays untouched.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

schema: install
	$(UV) run stonks export-schema > schema.graphql

# TimescaleDB (Community edition) built into the embedded PostgreSQL, once; `stonks up`
# preloads it from then on. Needs cmake, make and a C compiler (about 2 minutes on 2 cores).
TIMESCALEDB_SOURCE ?= ../shared/vendor/timescaledb-2.28.3.tar.gz

timescaledb: install
	$(UV) run python -m server.embedded_timescaledb $(TIMESCALEDB_SOURCE)
