#!/usr/bin/env bash
# pantau's monitoring files (deploy/): install the tools, check everything.
#
#   scripts/monitoring.sh install   promtool + amtool from Debian (prometheus,
#                                   prometheus-alertmanager), PyYAML if missing
#   scripts/monitoring.sh check     promtool check config / check rules /
#                                   test rules, amtool check-config + template
#                                   render + routing tests, dashboard JSON and
#                                   YAML checks (scripts/check_deploy.py),
#                                   systemd-analyze verify (when available)
#
# `check` runs every step, prints each result, and exits 1 if any failed.
# Debian's packages also install (and, on a host with systemd, start) their
# own prometheus and prometheus-alertmanager services with Debian's default
# configuration; deploy/README.md shows how to run them on these files.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DEPLOY=deploy

die() { echo "monitoring.sh: $*" >&2; exit 2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root (or sudo) for: $*"
    fi
}

# The first python3 that can import yaml (pyenv's, then the system's).
find_python() {
    local py
    for py in python3 /usr/bin/python3; do
        if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import yaml, json' >/dev/null 2>&1; then
            echo "$py"; return 0
        fi
    done
    return 1
}

cmd_install() {
    local pkgs=()
    command -v promtool >/dev/null 2>&1 || pkgs+=(prometheus)
    command -v amtool >/dev/null 2>&1 || pkgs+=(prometheus-alertmanager)
    find_python >/dev/null || pkgs+=(python3-yaml)
    if [ "${#pkgs[@]}" -eq 0 ]; then
        echo "monitoring.sh: promtool, amtool and PyYAML already installed"
    else
        echo "monitoring.sh: installing ${pkgs[*]}"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${pkgs[@]}"
    fi
    promtool --version 2>&1 | head -n 1
    amtool --version 2>&1 | head -n 1
}

passed=0
failed=0
failures=()

# step NAME COMMAND...: runs it, prints its output indented, counts it.
step() {
    local name=$1; shift
    local out rc=0
    echo "--- $name"
    out=$("$@" 2>&1) || rc=$?
    if [ -n "$out" ]; then printf '%s\n' "$out" | sed 's/^/    /'; fi
    if [ "$rc" -eq 0 ]; then
        echo "    ok"
        passed=$((passed + 1))
    else
        echo "    FAILED (exit $rc)"
        failed=$((failed + 1))
        failures+=("$name")
    fi
}

# amtool config routes test prints the receiver(s); compare with the expected.
route_is() {
    local want=$1; shift
    local got
    got=$(amtool config routes test --config.file="$DEPLOY/alertmanager/alertmanager.yml" "$@" 2>/dev/null)
    if [ "$got" != "$want" ]; then
        echo "labels $* routed to '$got', want '$want'"
        return 1
    fi
    echo "$* -> $got"
}

render_templates() {
    local t
    for t in pantau.email.subject pantau.email.text pantau.email.html; do
        amtool template render --template.glob="$DEPLOY/alertmanager/templates/*.tmpl" \
            --template.text="{{ template \"$t\" . }}" >/dev/null || { echo "template $t failed"; return 1; }
        echo "$t renders"
    done
}

# systemd-analyze verify checks that ExecStart exists: when pantau is not
# installed, verify copies whose binary path points at target/release/pantau
# or, failing that, at a stub.
verify_units() {
    local tmp bin rc=0
    tmp=$(mktemp -d)
    bin=/usr/local/bin/pantau
    if [ ! -x "$bin" ]; then
        if [ -x "$ROOT/target/release/pantau" ]; then
            bin=$ROOT/target/release/pantau
        else
            bin=$tmp/pantau
            printf '#!/bin/sh\nexit 0\n' > "$bin"
            chmod +x "$bin"
        fi
        echo "(pantau not installed: ExecStart checked against $bin)"
    fi
    cp "$DEPLOY"/systemd/*.service "$tmp"/
    sed -i "s#/usr/local/bin/pantau#$bin#g" "$tmp"/*.service
    # verify exits 0 on directives it ignores ("Failed to parse …, ignoring",
    # "Unknown key name"): any complaint about our files fails the step.
    local out
    out=$(cd "$tmp" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify ./*.service 2>&1) || rc=$?
    rm -rf "$tmp"
    if [ -n "$out" ]; then printf '%s\n' "$out"; fi
    if printf '%s' "$out" | grep -q 'pantau[-a-z]*\.service'; then
        [ "$rc" -ne 0 ] || rc=1
    fi
    return "$rc"
}

cmd_check() {
    command -v promtool >/dev/null 2>&1 || die "promtool missing: run scripts/monitoring.sh install"
    command -v amtool >/dev/null 2>&1 || die "amtool missing: run scripts/monitoring.sh install"
    local py
    py=$(find_python) || die "python3 with PyYAML missing: run scripts/monitoring.sh install"

    echo "promtool: $(promtool --version 2>&1 | head -n 1)"
    echo "amtool:   $(amtool --version 2>&1 | head -n 1)"

    local cfg
    for cfg in "$DEPLOY"/prometheus/prometheus*.yml; do
        step "promtool check config $cfg" promtool check config "$cfg"
    done
    step "promtool check rules" promtool check rules "$DEPLOY"/prometheus/rules/*.yml
    step "promtool test rules" promtool test rules "$DEPLOY"/prometheus/tests/*.yml
    step "amtool check-config" amtool check-config "$DEPLOY/alertmanager/alertmanager.yml"
    step "amtool template render" render_templates
    step "alertmanager routing: critical" route_is page-and-email \
        alertname=PantauNegativeAboveTarget entity=kemensos window=month severity=critical
    step "alertmanager routing: warning" route_is oncall-webhook \
        alertname=PantauFeedDown feed=antara-terkini severity=warning
    step "dashboard JSON + YAML + cross-file checks" "$py" scripts/check_deploy.py
    if command -v systemd-analyze >/dev/null 2>&1; then
        step "systemd-analyze verify" verify_units
    else
        echo "--- systemd-analyze verify: skipped (systemd-analyze not installed)"
    fi

    echo
    if [ "$failed" -gt 0 ]; then
        echo "monitoring.sh: failed steps:"
        printf '  %s\n' "${failures[@]}"
    fi
    echo "monitoring: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

case "${1:-}" in
    install) cmd_install ;;
    check) cmd_check ;;
    *) echo "usage: $0 install|check" >&2; exit 2 ;;
esac
