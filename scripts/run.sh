#!/usr/bin/env bash
# Install heelpath and run it on its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh nlp,web
if .venv/bin/heelpath --help 2>/dev/null | grep -q ' serve '; then
  exec .venv/bin/heelpath serve "$@"
fi
exec .venv/bin/heelpath demo
