#!/usr/bin/env bash
# Install heelpath and run it on its embedded defaults: the web app and JSON API on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh nlp,web,fhir,screen
exec .venv/bin/heelpath serve "$@"
