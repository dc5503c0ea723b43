#!/usr/bin/env bash
# Install what the end-to-end checks (tests/e2e/run.sh) need on a
# fresh Debian machine, as root: Chromium from Debian's packages (only if
# /usr/bin/chromium is missing) and playwright-core and axe-core from the npm registry,
# pinned by tests/e2e/package-lock.json. Needs node + npm already installed.
# No browser is downloaded by Playwright: the check drives /usr/bin/chromium.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

npm ci --prefix "$root/tests/e2e" --no-audit --no-fund
