#!/usr/bin/env bash
# Regenerates docs/console/*.png: runs the console's browser test (headless Chromium against a
# gateway with a mock upstream and real traffic), which saves a screenshot of every page.
# Needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
command -v chromium >/dev/null && command -v chromedriver >/dev/null \
  || { echo "needs chromium and chromedriver: apt-get install -y chromium chromium-driver" >&2; exit 1; }
./mvnw -B -q test -Dtest=ConsoleBrowserTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Djunction.screenshots="$PWD/docs/console"
ls -1 docs/console/*.png
