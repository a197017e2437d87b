#!/usr/bin/env bash
# Runs a command while every core is kept busy, as on a shared or slow machine:
#   scripts/with-cpu-hogs.sh npx playwright test
# Starts one spinning Node process per core (nproc, or HOGS=N), runs the command, then stops
# them. Exits with the command's exit code. A test that passes only on an idle machine fails here.
# Not handled here: memory or disk pressure.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

count="${HOGS:-$(nproc)}"
pids=()
cleanup() { ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
for ((i = 0; i < count; i++)); do
  nice -n 0 node -e 'for (;;) {}' &
  pids+=($!)
done
echo "with-cpu-hogs: $count busy processes beside: $*" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
