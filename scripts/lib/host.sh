# Shared set-up for scripts/run and scripts/test: make this machine able to run Berth.
# Installs what is missing from the OS packages, starts the Docker engine if it is not running,
# and builds the local sample images (no registry is assumed reachable).
# Sourced, not executed. Every process it starts is recorded by pid and only that pid is stopped.

BERTH_STATE_DIR="${BERTH_STATE_DIR:-/var/lib/berth-dev}"
BERTH_SAMPLE_IMAGE="${BERTH_SAMPLE_IMAGE:-berth/busybox:1}"
BERTH_STARTED_DOCKERD=""

say() { printf '[berth] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  say "installing $* from the OS packages"
  if [ -z "${BERTH_APT_UPDATED:-}" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    BERTH_APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_build_tools() {
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

# Debian's Chromium and its chromedriver, for the dashboard's browser test (never a downloaded one).
ensure_browser() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

# Debian's git: PersistentVolumesE2E serves a repository with `git daemon` on 127.0.0.1 (Berth
# itself clones with JGit and needs no git binary).
ensure_git_server() {
  [ -x /usr/lib/git-core/git-daemon ] || apt_install git
}

# Debian's Prometheus (and its promtool): MetricsE2E scrapes a running Berth with it, loads the alert
# rules in helm/berth/files/ and checks the Grafana dashboard's expressions against it.
ensure_prometheus() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || apt_install prometheus
}

ensure_docker() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || missing+=(busybox-static)
  command -v file >/dev/null 2>&1 || missing+=(file)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

  if docker info >/dev/null 2>&1; then
    return 0
  fi
  as_root mkdir -p "$BERTH_STATE_DIR"
  say "starting the Docker engine (log: $BERTH_STATE_DIR/dockerd.log)"
  as_root sh -c "dockerd --pidfile '$BERTH_STATE_DIR/dockerd.pid' >'$BERTH_STATE_DIR/dockerd.log' 2>&1 &"
  local i
  for i in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      BERTH_STARTED_DOCKERD="$(cat "$BERTH_STATE_DIR/dockerd.pid" 2>/dev/null || true)"
      return 0
    fi
    sleep 1
  done
  say "the Docker engine did not come up; see $BERTH_STATE_DIR/dockerd.log"
  tail -20 "$BERTH_STATE_DIR/dockerd.log" >&2 || true
  return 1
}

# Stops the engine only if this script started it, by the pid it recorded.
stop_docker_if_started() {
  if [ -n "$BERTH_STARTED_DOCKERD" ] && kill -0 "$BERTH_STARTED_DOCKERD" 2>/dev/null; then
    say "stopping the Docker engine this script started (pid $BERTH_STARTED_DOCKERD)"
    as_root kill "$BERTH_STARTED_DOCKERD" || true
    local i
    for i in $(seq 1 30); do kill -0 "$BERTH_STARTED_DOCKERD" 2>/dev/null || break; sleep 1; done
  fi
}

# A 2 MB image from Debian's static busybox, with every applet linked (sh, sleep, httpd, nc, ...).
ensure_sample_images() {
  if docker image inspect "$BERTH_SAMPLE_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  say "building the sample image $BERTH_SAMPLE_IMAGE from /bin/busybox"
  local root
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  chmod 1777 "$root/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$BERTH_SAMPLE_IMAGE" >/dev/null
  rm -rf "$root"
}

# A second Docker engine on this machine, so tests exercise a real pool of hosts. It has its own
# socket, data-root, exec-root, pidfile and its own bridge (never --bridge none: that would delete
# the default engine's docker0). Only scripts/test starts it, and stops it again by its pid.
BERTH_HOST2_DIR="${BERTH_HOST2_DIR:-$BERTH_STATE_DIR/host2}"
BERTH_HOST2_SOCKET="${BERTH_HOST2_SOCKET:-/run/berth-host2.sock}"
BERTH_HOST2_BRIDGE="${BERTH_HOST2_BRIDGE:-berthbr2}"
BERTH_HOST2_CIDR="${BERTH_HOST2_CIDR:-172.31.252.1/24}"
BERTH_STARTED_HOST2=""

ensure_second_engine() {
  command -v ip >/dev/null 2>&1 || apt_install iproute2
  if docker -H "unix://$BERTH_HOST2_SOCKET" info >/dev/null 2>&1; then
    load_sample_image_into "unix://$BERTH_HOST2_SOCKET"
    return 0
  fi
  as_root mkdir -p "$BERTH_HOST2_DIR/data" "$BERTH_HOST2_DIR/exec"
  if ! ip link show "$BERTH_HOST2_BRIDGE" >/dev/null 2>&1; then
    as_root ip link add "$BERTH_HOST2_BRIDGE" type bridge
    as_root ip addr add "$BERTH_HOST2_CIDR" dev "$BERTH_HOST2_BRIDGE"
    as_root ip link set "$BERTH_HOST2_BRIDGE" up
  fi
  say "starting a second Docker engine on $BERTH_HOST2_SOCKET (log: $BERTH_HOST2_DIR/dockerd.log)"
  as_root sh -c "dockerd --host 'unix://$BERTH_HOST2_SOCKET' --data-root '$BERTH_HOST2_DIR/data' \
    --exec-root '$BERTH_HOST2_DIR/exec' --pidfile '$BERTH_HOST2_DIR/dockerd.pid' \
    --bridge '$BERTH_HOST2_BRIDGE' --iptables=false >'$BERTH_HOST2_DIR/dockerd.log' 2>&1 &"
  local i
  for i in $(seq 1 60); do
    if docker -H "unix://$BERTH_HOST2_SOCKET" info >/dev/null 2>&1; then
      BERTH_STARTED_HOST2="$(cat "$BERTH_HOST2_DIR/dockerd.pid" 2>/dev/null || true)"
      load_sample_image_into "unix://$BERTH_HOST2_SOCKET"
      return 0
    fi
    sleep 1
  done
  say "the second Docker engine did not come up"
  tail -20 "$BERTH_HOST2_DIR/dockerd.log" >&2 || true
  return 1
}

load_sample_image_into() {
  if ! docker -H "$1" image inspect "$BERTH_SAMPLE_IMAGE" >/dev/null 2>&1; then
    docker save "$BERTH_SAMPLE_IMAGE" | docker -H "$1" load >/dev/null
  fi
}

stop_second_engine_if_started() {
  if [ -n "$BERTH_STARTED_HOST2" ] && kill -0 "$BERTH_STARTED_HOST2" 2>/dev/null; then
    say "stopping the second Docker engine (pid $BERTH_STARTED_HOST2)"
    docker -H "unix://$BERTH_HOST2_SOCKET" ps -aq 2>/dev/null | xargs -r docker -H "unix://$BERTH_HOST2_SOCKET" rm -f >/dev/null 2>&1 || true
    as_root kill "$BERTH_STARTED_HOST2" || true
    local i
    for i in $(seq 1 30); do kill -0 "$BERTH_STARTED_HOST2" 2>/dev/null || break; sleep 1; done
    grep -o " $BERTH_HOST2_DIR/exec[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r -n1 as_root umount -l 2>/dev/null || true
    as_root ip link del "$BERTH_HOST2_BRIDGE" 2>/dev/null || true
  fi
}
