# Extra Docker engines on this machine, each a simulated host: its own socket, data-root,
# exec-root, pidfile and its own bridge (never --bridge none: that deletes the default engine's
# docker0). What host.sh does for CI's second engine, for any number of named engines; a
# benchmark starts them fresh and stops them again by their pids.
# Sourced after host.sh, not executed.

BERTH_ENGINES_DIR="${BERTH_ENGINES_DIR:-$BERTH_STATE_DIR/engines}"

# Where engine $1 (1-6 lowercase letters and digits) keeps its socket, files and bridge.
engine_socket() { echo "/run/berth-engine-$1.sock"; }
engine_dir() { echo "$BERTH_ENGINES_DIR/$1"; }
engine_bridge() { echo "brengine-$1"; }

# Starts engine $1 on fresh directories and a bridge of its own in a free /22 of 10.231.0-39.0
# (1,021 addresses, so a benchmark can run hundreds of containers on it), and loads the sample
# image into it from the default engine.
start_engine() {
  local name="$1" dir socket bridge x cidr=""
  [[ "$name" =~ ^[a-z0-9]{1,6}$ ]] || { say "engine name: 1-6 lowercase letters and digits"; return 1; }
  command -v ip >/dev/null 2>&1 || apt_install iproute2
  dir="$(engine_dir "$name")"
  socket="$(engine_socket "$name")"
  bridge="$(engine_bridge "$name")"
  if [ -S "$socket" ] && docker -H "unix://$socket" info >/dev/null 2>&1; then
    say "$socket is served by an engine this script did not start"
    return 1
  fi
  if ip link show "$bridge" >/dev/null 2>&1; then
    say "bridge $bridge exists already (a run that died? see stop_engine)"
    return 1
  fi
  for x in $(seq 0 4 36); do
    if ! ip -4 addr | grep -q " 10\.231\.$x\."; then
      cidr="10.231.$x.1/22"
      break
    fi
  done
  [ -n "$cidr" ] || { say "no free /22 in 10.231.0-39.0 for engine $name's bridge"; return 1; }
  unmount_under "$dir"
  as_root rm -rf "$dir"
  as_root rm -f "$socket"
  as_root mkdir -p "$dir/data" "$dir/exec"
  as_root ip link add "$bridge" type bridge
  as_root ip addr add "$cidr" dev "$bridge"
  as_root ip link set "$bridge" up
  say "starting engine $name on $socket, bridge $bridge $cidr (log: $dir/dockerd.log)"
  as_root sh -c "dockerd --host 'unix://$socket' --data-root '$dir/data' --exec-root '$dir/exec' \
    --pidfile '$dir/dockerd.pid' --bridge '$bridge' --iptables=false >'$dir/dockerd.log' 2>&1 &"
  local i
  for i in $(seq 1 60); do
    if docker -H "unix://$socket" info >/dev/null 2>&1; then
      load_sample_image_into "unix://$socket"
      return 0
    fi
    sleep 1
  done
  say "engine $name did not come up"
  tail -20 "$dir/dockerd.log" >&2 || true
  return 1
}

# Stops engine $1 and leaves nothing of it behind: its containers removed (if it answers), dockerd
# stopped by the pid in its pidfile, whatever still runs from its exec-root (shims and containers
# of a killed engine) killed by pid, its mounts unmounted, its bridge, socket and directory deleted.
stop_engine() {
  local name="$1" dir socket bridge pid i
  dir="$(engine_dir "$name")"
  socket="$(engine_socket "$name")"
  bridge="$(engine_bridge "$name")"
  [ -d "$dir" ] || return 0
  pid="$(cat "$dir/dockerd.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    if timeout 10 docker -H "unix://$socket" info >/dev/null 2>&1; then
      timeout 60 docker -H "unix://$socket" ps -aq | xargs -r timeout 60 docker -H "unix://$socket" rm -f >/dev/null 2>&1 || true
    fi
    as_root kill "$pid" 2>/dev/null || true
    for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && as_root kill -9 "$pid" 2>/dev/null
  fi
  local proc command
  for proc in /proc/[0-9]*; do
    command="$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null || true)"
    if [[ "$command" == *"$dir/exec/"* ]]; then as_root kill -9 "${proc#/proc/}" 2>/dev/null || true; fi
  done
  unmount_under "$dir"
  as_root ip link del "$bridge" 2>/dev/null || true
  as_root rm -f "$socket"
  as_root rm -rf "$dir"
}

# Lazily unmounts, deepest first, whatever is mounted under directory $1.
unmount_under() {
  awk -v prefix="$1/" 'index($2, prefix) == 1 { print length($2), $2 }' /proc/self/mounts |
    sort -rn | cut -d' ' -f2- | xargs -r -n1 sh -c 'umount -l "$0" 2>/dev/null || true'
}
