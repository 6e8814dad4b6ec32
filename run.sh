#!/usr/bin/env bash
# Run the service: installs what it needs on first use, then starts the API, web pages,
# an embedded Redis and local batch workers (or uses REDIS_URL when it is set).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure_env.sh
exec .venv/bin/gospablik serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" "$@"
