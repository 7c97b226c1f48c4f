#!/usr/bin/env bash
# pretest: the browser tests drive Debian's Chromium. Install it (and CJK fonts, so pages render as readers see
# them) when it is missing and we are root; otherwise say in one line what to run.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Browser tests need Debian's ${missing[*]}: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}', then npm test again." >&2
  exit 1
fi
echo "pretest: installing ${missing[*]} from Debian (one-time)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "pretest: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)"
