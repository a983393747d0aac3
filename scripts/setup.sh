#!/usr/bin/env bash
# Install heelpath and everything it needs into ./.venv (idempotent).
# Usage: scripts/setup.sh [extras]   e.g. scripts/setup.sh test,nlp,web,fhir,screen,spark
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-nlp,web}"

find_python() {
  for candidate in python3.12 "$HOME/.pyenv/versions/3.12"*/bin/python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "heelpath needs Python 3.11 or newer" >&2; return 1
}

if [ ! -x .venv/bin/python ]; then
  python="$(find_python)"
  echo "creating .venv with $python"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[$extras]"
