#!/usr/bin/env bash
# Set up everything kamerbrief_extract needs on a fresh Debian/Ubuntu machine:
# Tesseract with Dutch data (apt-get, when run as root), a Python 3.11 virtualenv
# in .venv with the package and its dev tools, and the spaCy pipeline in models/.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx nld; then need_apt+=(tesseract-ocr-nld); fi
if [ "${WITH_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then need_apt+=(chromium); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_apt[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${need_apt[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${need_apt[*]}  (or brew install tesseract tesseract-lang)" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.kamerbrief-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
if [ ! -f models/kamerbrief_nl/config.cfg ]; then
  .venv/bin/kamerbrief build-model
fi
