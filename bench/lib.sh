# Sourced by the bench scripts (from the repository's root): a fresh output
# directory, the servers a script starts stopped by their pids on exit, and
# a bounded wait.

# pids: the processes a script started in the background; stop_started
# kills them and waits for each (only them: not the tee of a process
# substitution, which ends with the script, so waiting for it would hang).
pids=()
stop_started() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

# fresh_out: an empty $OUT.
fresh_out() {
  rm -rf "$OUT"
  mkdir -p "$OUT"
}

# wait_for CMD...: retry CMD every 0.2 s, at most 60 s.
wait_for() {
  for _ in $(seq 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "timed out waiting for: $*" >&2
  return 1
}

# wait_within SECONDS CMD...: retry CMD every 0.5 s, at most SECONDS.
wait_within() {
  local end=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$end" ]; then
      echo "timed out waiting for: $*" >&2
      return 1
    fi
    sleep 0.5
  done
}
