#!/usr/bin/env bash
# Tries pblur's process backend against the faults a user can cause by hand, on one image:
# an undisturbed run, kill -9 of a worker mid-run, Ctrl-C (SIGINT), SIGTERM, and kill -9 of
# pblur itself. After each it shows the exit code, the time, /dev/shm, the processes still
# running pblur's binary, and the files in the output folder.
# Usage: tools/fault_drill.sh IMAGE [pblur options...]
#   e.g. tools/fault_drill.sh big.jpg --filter median --ksize 21 --procs 2 --strips 8
set -uo pipefail
image=${1:?usage: fault_drill.sh IMAGE [pblur options...]}
shift
pblur=$(realpath "${PBLUR:-build/src/pblur}")
out=$(mktemp -d)
reference=$(mktemp -u).jpg
trap 'rm -rf "$out" "$reference"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }

# Waits until pblur's fork server has at least one worker; prints the server's pid.
wait_for_workers() {
  local pid=$1 server
  for _ in $(seq 1 2000); do
    server=$(pgrep -P "$pid" | head -1)
    if [ -n "$server" ] && [ -n "$(pgrep -P "$server")" ]; then echo "$server"; return; fi
    sleep 0.005
  done
}

report() {
  echo "  /dev/shm: $(ls -A /dev/shm | wc -l) entries; pblur processes left: $(pgrep -c -f "^$pblur" || true)"
  echo "  output folder: $(ls -A "$out" | tr '\n' ' ')"
  if [ -f "$out/out.jpg" ]; then
    if [ -f "$reference" ]; then
      cmp -s "$out/out.jpg" "$reference" && echo "  output: identical to the undisturbed run's" ||
        echo "  output: DIFFERS from the undisturbed run's"
    else
      cp "$out/out.jpg" "$reference"
    fi
  fi
  rm -f "$out"/*
}

run_with() {  # NAME DELAY ACTION: ACTION runs DELAY seconds after the workers appear
  local name=$1 delay=$2 action=$3 start pid server code
  start=$(now)
  "$pblur" "$image" "$out/out.jpg" "${options[@]}" &
  pid=$!
  server=$(wait_for_workers "$pid")
  sleep "$delay"
  eval "$action"
  wait "$pid"
  code=$?
  echo "$name: exit $code after $(elapsed "$start")"
  sleep 1
  report
}

options=("$@")
for round in 1 2 3; do
  run_with "undisturbed ($round)" 0 ":"
  run_with "kill -9 of one worker mid-run ($round)" 0.5 'kill -9 $(pgrep -P "$server" | head -1)'
done
run_with "Ctrl-C (SIGINT) mid-run" 0.5 'kill -INT $pid'
run_with "SIGTERM mid-run" 0.5 'kill -TERM $pid'
run_with "kill -9 of pblur mid-run" 0.5 'kill -9 $pid; sleep 0.2; echo "  0.2 s after kill -9: $(pgrep -c -f "^$pblur" || true) pblur processes left"'
