#!/usr/bin/env bash
# Installs everything the test suite needs (Python dev extras, Debian fonts for the synthetic corpus),
# makes sure the PostgreSQL and Redis the scale-out tests use are up, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-dev.sh
exec python -m pytest "$@"
