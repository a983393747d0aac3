#!/usr/bin/env bash
# Install heelpath with its test dependencies, validate the knowledge base, lint and type-check, and run
# the whole test suite (with the doctests of the package and the README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test,nlp,web,fhir,screen,spark,report
[ -x scripts/system-deps.sh ] && bash scripts/system-deps.sh
.venv/bin/heelpath kb validate
.venv/bin/ruff check src tests benchmarks fuzz
.venv/bin/mypy src/heelpath
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "no tests were collected: failing" >&2
  exit 1
fi
exit "$status"
