#!/usr/bin/env bash
# CI gate (issue 9): `npm audit --omit=dev` must be clean. Where the registry here has no audit endpoint (it answers
# 405), say so and go on: the runtime dependencies are listed with their audit status in docs/dependencies.md.
set -uo pipefail
out=$(npm audit --omit=dev --json 2>&1)
code=$?
if [ $code -eq 0 ]; then echo "npm audit --omit=dev: no vulnerabilities"; exit 0; fi
if grep -q "audit endpoint returned an error\|ENOAUDIT\|405" <<<"$out"; then
  echo "npm audit --omit=dev: the registry reachable here has no audit endpoint; not checked in this run"
  exit 0
fi
echo "$out" | head -50
echo "npm audit --omit=dev found vulnerabilities in runtime dependencies"
exit 1
