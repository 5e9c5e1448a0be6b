#!/usr/bin/env bash
# Runs scripts/digest_sinks.py (an SMTP server and a stand-in Telegram and
# webhook endpoint, for the digest's end-to-end test) in target/test-venv,
# which it creates and fills from PyPI (aiosmtpd) on first use.
#
#   scripts/digest_sinks.sh --smtp-port P --http-port Q --out DIR
set -euo pipefail

cd "$(dirname "$0")/.."
VENV=target/test-venv
mkdir -p target
(
    flock 9
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    if ! "$VENV/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1; then
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'aiosmtpd>=1.4,<2'
    fi
) 9>target/test-venv.lock
exec "$VENV/bin/python" scripts/digest_sinks.py "$@"
