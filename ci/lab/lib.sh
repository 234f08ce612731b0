# Shared helpers for ci/lab/start, stop and selftest. Sourced with STATE set.

# lab_register NAME PIDFILE: remember a pid file so stop can end exactly that process.
lab_register() { echo "$1 $2" >> "$STATE/pidfiles"; }

# lab_pid PIDFILE: the pid in the file, if that process is alive.
lab_pid() {
  local p
  [[ -f "$1" ]] || return 1
  p=$(head -n1 "$1" | tr -dc 0-9)
  [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null || return 1
  # A zombie (exited, not yet reaped by init) answers kill -0 but no longer serves.
  [[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]] || return 1
  echo "$p"
}

# lab_all_alive: every registered process still runs.
lab_all_alive() {
  local name pf
  [[ -s "$STATE/pidfiles" ]] || return 1
  while read -r name pf; do
    lab_pid "$pf" >/dev/null || return 1
  done < "$STATE/pidfiles"
}

# lab_wait_port PORT SECONDS [ADDR]: wait until ADDR (127.0.0.1):PORT accepts a TCP connection.
lab_wait_port() {
  local port=$1 deadline=$((SECONDS + $2)) addr=${3:-127.0.0.1}
  while (( SECONDS < deadline )); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/$addr/$port" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}
lab_port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/${2:-127.0.0.1}/$1" 2>/dev/null; }
