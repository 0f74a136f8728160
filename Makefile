# The two set-up commands: `make up` runs the product, `make test` runs every test.
# Both install what they need first (uv, then the locked dependencies).

UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.PHONY: up test install lint schema

up: install
	$(UV) run stonks up

test: install
	$(UV) run pytest

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
