#!/usr/bin/env bash
# The interactive REPL as it ships (bin/spelunk.js → dist/bundle), in a real terminal (tmux): the
# test suite drives the REPL from the TypeScript sources, so only this sees what the bundle does
# to it (a CommonJS dependency's exports, a chunk's paths). Types a search, waits for its rows.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "smoke-repl: tmux is not installed: skipped"; exit 0; }
socket="$(mktemp -u /tmp/spelunk-smoke.XXXXXX)"
trap 'tmux -S "$socket" kill-server 2>/dev/null || true' EXIT
tmux -S "$socket" new-session -d -x 120 -y 30 \
  "env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 TERM=xterm-256color node bin/spelunk.js repl --data fixtures/zeek/outbound_smb_conn.json --sourcetype bro:conn:json --tz UTC 2>&1; echo spelunk-exited-\$?; sleep 300"
screen() { tmux -S "$socket" capture-pane -p; }
wait_for() { # pattern, what
  for _ in $(seq 1 300); do
    screen | grep -qE "$1" && return 0
    if [ "$1" != 'spelunk-exited-0' ] && screen | grep -q 'spelunk-exited-'; then break; fi
    sleep 0.1
  done
  echo "smoke-repl: no $2; the screen:"; screen; exit 1
}
wait_for '^spl>' "prompt"
tmux -S "$socket" send-keys -l '| tstats count from datamodel=Network_Traffic by All_Traffic.dest_port | head 3'
tmux -S "$socket" send-keys Enter
wait_for '^3 rows · ' "result rows"
tmux -S "$socket" send-keys C-d
wait_for 'spelunk-exited-0' "exit 0 on Ctrl-D"
echo "smoke-repl: ok"
