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
