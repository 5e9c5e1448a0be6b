#!/usr/bin/env bash
# browser.sh — the headless browser for the web UI test (tests/browser/).
#
#   scripts/browser.sh install   Debian's Chromium (apt) and playwright-core
#                                (npm, pinned) into target/browser-node;
#                                idempotent, quiet when already installed
#   scripts/browser.sh run [NAME]  runs tests/browser/NAME.test.mjs (default
#                                web) against $PANTAU_URL (installs first
#                                if needed)
#   scripts/browser.sh check     launches Chromium on a data: page and writes
#                                a screenshot: proves the pair works
#
# Playwright's own browser download is never used (no network beyond the
# package registries): the test drives /usr/bin/chromium through
# playwright-core, which ships no browser. Environment:
#   PANTAU_BROWSER_NODE  npm prefix for playwright-core (default target/browser-node)
#   CHROMIUM             the browser binary (default: chromium on PATH)
#   PANTAU_URL, PANTAU_TOKEN, SCREENSHOT_DIR   passed to the test (see it)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Pinned: the version the test was written against (Chromium comes from
# Debian, so it moves; playwright-core speaks CDP, which stays compatible).
PLAYWRIGHT_VERSION=1.65.1
PREFIX=${PANTAU_BROWSER_NODE:-$ROOT/target/browser-node}
case $PREFIX in /*) ;; *) PREFIX=$ROOT/$PREFIX ;; esac
MODULE=$PREFIX/node_modules/playwright-core

say() { echo "browser.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

chromium_path() {
    if [ -n "${CHROMIUM:-}" ]; then echo "$CHROMIUM"; return; fi
    command -v chromium || command -v chromium-browser || true
}

install_chromium() {
    if [ -n "$(chromium_path)" ]; then return; fi
    command -v apt-get >/dev/null || die "no chromium and no apt-get: install Chromium and set CHROMIUM"
    say "installing Debian's chromium"
    local log
    log=$(mktemp)
    # Try the cached package lists first: an update is slow and usually not needed.
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >"$log" 2>&1; then
        if ! { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            die "apt-get could not install chromium"
        fi
    fi
    rm -f "$log"
    [ -n "$(chromium_path)" ] || die "chromium installed but not on PATH"
}

install_playwright() {
    local have=
    if [ -f "$MODULE/package.json" ]; then
        have=$(node -p "require('$MODULE/package.json').version" 2>/dev/null || true)
    fi
    if [ "$have" = "$PLAYWRIGHT_VERSION" ]; then return; fi
    command -v npm >/dev/null || die "npm not found: install Node.js (>= 18) and npm"
    say "installing playwright-core@$PLAYWRIGHT_VERSION into $PREFIX"
    mkdir -p "$PREFIX"
    # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing, but
    # be explicit — the only browser here is Debian's.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$PREFIX" --no-audit --no-fund \
        --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
}

install() {
    command -v node >/dev/null || die "node not found: install Node.js (>= 18)"
    install_chromium
    install_playwright
}

# The test imports `playwright-core` by name; Node's ESM resolver ignores
# NODE_PATH, so the test resolves it with createRequire from this variable.
export_env() {
    export PANTAU_BROWSER_NODE=$PREFIX
    CHROMIUM=$(chromium_path)
    export CHROMIUM
}

case ${1:-} in
    install)
        install
        ;;
    run)
        install
        export_env
        : "${PANTAU_URL:?set PANTAU_URL to the running pantau, e.g. http://127.0.0.1:9464}"
        script=$ROOT/tests/browser/${2:-web}.test.mjs
        [ -f "$script" ] || die "no such browser test: $script"
        exec node "$script"
        ;;
    check)
        install
        export_env
        out=${SCREENSHOT_DIR:-$ROOT/target/browser-shots}/check.png
        mkdir -p "$(dirname "$out")"
        node --input-type=module -e "
            import { createRequire } from 'node:module';
            const require = createRequire(process.env.PANTAU_BROWSER_NODE + '/');
            const { chromium } = require('playwright-core');
            const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true, args: ['--no-sandbox'] });
            const page = await browser.newPage();
            await page.goto('data:text/html,<h1 lang=id>pantau: peramban siap</h1>');
            await page.screenshot({ path: '$out' });
            console.log('chromium', browser.version(), '→', '$out');
            await browser.close();
        "
        ;;
    *)
        echo "usage: $0 install|run|check" >&2
        exit 2
        ;;
esac
