#!/usr/bin/env bash
# nginx.sh — make sure nginx is installed (Debian's nginx, with apt-get when
# missing) for the test that runs deploy/nginx/pantau.conf in front of a
# real pantau. The package's own service is not started: the test runs its
# own nginx with a config and prefix of its own.
#
#   scripts/nginx.sh        install if missing; prints the nginx binary's path
set -euo pipefail

say() { echo "nginx.sh: $*" >&2; }

find_nginx() { command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true; }

if [[ -z $(find_nginx) ]]; then
  [[ $(id -u) -eq 0 ]] || { say "ERROR: nginx is missing and installing needs root (apt-get install nginx)"; exit 1; }
  say "installing nginx from Debian packages (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package from starting its own server on port 80.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  trap '[[ $made_policy -eq 1 ]] && rm -f "$policy"' EXIT
  apt-get install -y -q --no-install-recommends nginx-light >&2 \
    || apt-get install -y -q --no-install-recommends nginx >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends nginx >&2; }
fi
nginx=$(find_nginx)
[[ -n $nginx ]] || { say "ERROR: nginx not found after installing"; exit 1; }
echo "$nginx"
