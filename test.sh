#!/usr/bin/env bash
# Run every check: lint, the import-layer contracts (pyproject.toml), then all tests (unit,
# parser fixtures, end-to-end over the demo web with the real Chromium). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh --no-demo
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
