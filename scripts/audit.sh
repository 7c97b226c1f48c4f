#!/usr/bin/env bash
# Supply chain: no high or critical advisories in production dependencies. When the registry's audit endpoint
# cannot be reached (some mirrors and proxies refuse it), say so plainly instead of passing silently or failing
# the whole test run for a reason that is not ours.
set -uo pipefail
out=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
echo "$out" | tail -n 15
if [ $status -ne 0 ] && grep -qE "audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|405 Method Not Allowed" <<<"$out"; then
  echo "npm audit: UNCHECKED — the registry's audit endpoint is unavailable from here; run 'npm audit --omit=dev' where it is."
  exit 0
fi
exit $status
