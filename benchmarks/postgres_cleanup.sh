#!/usr/bin/env bash
# Does any postgres started by framematrix outlive its command? A normal end, Ctrl-C, and kill -9
# followed by another command; prints what is left after each (the target: 0 every time).
#     benchmarks/postgres_cleanup.sh
set -m   # job control: a background job keeps SIGINT (else bash ignores it there)
FM="$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/framematrix"
cd "$(mktemp -d)"
export FRAMEMATRIX_CACHE="$PWD/cache"   # a cache of its own: other commands' clusters are not counted
ours() { pgrep -af "postgres" | grep -F "$FRAMEMATRIX_CACHE/" | grep -v grep | wc -l; }
args=(bench --contestants flask --scenario list-posts --duration 0.5 --warmup 0.2 --trials 1 --no-control --out runs)
echo "before: $(ours) postgres processes from framematrix's cache"
$FM "${args[@]}" >/dev/null 2>&1; echo "normal end (exit $?): $(ours) left"
$FM "${args[@]}" >/dev/null 2>&1 & pid=$!
for _ in $(seq 100); do [ "$(ours)" -gt 0 ] && break; sleep 0.1; done; sleep 2
echo "running: $(ours) postgres processes"; kill -INT $pid; wait $pid; echo "Ctrl-C (exit $?): $(ours) left"
$FM "${args[@]}" >/dev/null 2>&1 & pid=$!
for _ in $(seq 100); do [ "$(ours)" -gt 0 ] && break; sleep 0.1; done; sleep 2
echo "running: $(ours)"; kill -9 $pid; wait $pid 2>/dev/null; sleep 1
echo "kill -9 of framematrix: $(ours) left right after (the server's own watchdog may still be shutting down)"
sleep 5; echo "5 s later: $(ours) left"
$FM "${args[@]}" >/dev/null 2>&1; echo "the next command (exit $?): $(ours) left after it"
left=0; for p in $(pgrep -f "contestants.flask"); do [ "$(readlink /proc/$p/cwd)" = "$PWD" ] && left=$((left+1)); done
echo "flask servers started here and left: $left"
