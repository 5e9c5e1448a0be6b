#!/usr/bin/env bash
# poppler.sh — make sure Poppler's pdftotext, pdfinfo and pdftoppm are on the
# PATH (Debian's poppler-utils, installed with apt-get when missing), for the
# tests that read the PDF leadership report back as text and as images.
#
#   scripts/poppler.sh        install if missing; prints pdftotext's path
set -euo pipefail

say() { echo "poppler.sh: $*" >&2; }

if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { say "ERROR: poppler-utils is missing and installing needs root (apt-get install poppler-utils)"; exit 1; }
  say "installing poppler-utils from Debian packages (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends poppler-utils >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends poppler-utils >&2; }
fi
command -v pdftotext
