# A real container registry on 127.0.0.1 for the tests of pulls with credentials: Debian's
# docker-registry (CNCF distribution) on a random free port, TLS with a self-signed certificate,
# htpasswd basic auth, and the images the tests pull pushed to it. Every dockerd treats 127.0.0.0/8
# as an insecure registry, so nothing is installed into the engines' certificate directories.
# Sourced after host.sh, not executed. start_registry exports BERTH_TEST_REGISTRY (host:port),
# BERTH_TEST_REGISTRY_USER and BERTH_TEST_REGISTRY_PASSWORD; stop_registry_if_started stops it by
# the pid it recorded.

BERTH_REGISTRY_STARTED=""
BERTH_REGISTRY_DIR=""

ensure_registry_tools() {
  local missing=()
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_registry() {
  ensure_registry_tools
  local dir port user=berth-test password
  dir="$(mktemp -d /tmp/berth-registry.XXXXXX)"
  port="$(free_port)"
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
  htpasswd -Bbn "$user" "$password" >"$dir/htpasswd"
  cat >"$dir/config.yml" <<CFG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  tls:
    certificate: $dir/cert.pem
    key: $dir/key.pem
auth:
  htpasswd:
    realm: berth-test
    path: $dir/htpasswd
CFG
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  BERTH_REGISTRY_STARTED=$!
  echo "$BERTH_REGISTRY_STARTED" >"$dir/registry.pid"
  BERTH_REGISTRY_DIR="$dir"
  local i up=""
  for i in $(seq 1 50); do
    if curl -sk -o /dev/null "https://127.0.0.1:$port/v2/"; then up=1; break; fi
    sleep 0.2
  done
  if [ -z "$up" ]; then
    say "the registry did not come up; see $dir/registry.log"
    tail -20 "$dir/registry.log" >&2 || true
    return 1
  fi
  export BERTH_TEST_REGISTRY="127.0.0.1:$port"
  export BERTH_TEST_REGISTRY_USER="$user"
  export BERTH_TEST_REGISTRY_PASSWORD="$password"
  say "registry on https://$BERTH_TEST_REGISTRY (dir $dir, pid $BERTH_REGISTRY_STARTED)"
  push_registry_images
}

# The sample image as berth-test/busybox:1 and :2, and berth-test/large:1: the sample plus 96 MB of random
# data in six layers (random data does not compress), so that a pull takes a few seconds and its
# progress is seen. Pushed
# through a throw-away docker config so no credential is left in ~/.docker.
push_registry_images() {
  local cfg root
  cfg="$BERTH_REGISTRY_DIR/docker-config"
  mkdir -p "$cfg"
  echo "$BERTH_TEST_REGISTRY_PASSWORD" |
    docker --config "$cfg" login -u "$BERTH_TEST_REGISTRY_USER" --password-stdin "$BERTH_TEST_REGISTRY" >/dev/null 2>&1
  docker tag "$BERTH_SAMPLE_IMAGE" "$BERTH_TEST_REGISTRY/berth-test/busybox:1"
  docker --config "$cfg" push -q "$BERTH_TEST_REGISTRY/berth-test/busybox:1" >/dev/null
  # The same image under a second tag, for a test whose pull must never have succeeded before.
  docker tag "$BERTH_SAMPLE_IMAGE" "$BERTH_TEST_REGISTRY/berth-test/busybox:2"
  docker --config "$cfg" push -q "$BERTH_TEST_REGISTRY/berth-test/busybox:2" >/dev/null
  root="$BERTH_REGISTRY_DIR/large"
  mkdir -p "$root"
  cat >"$root/Dockerfile" <<DF
FROM $BERTH_SAMPLE_IMAGE
COPY a.bin /data/a.bin
COPY b.bin /data/b.bin
COPY c.bin /data/c.bin
COPY d.bin /data/d.bin
COPY e.bin /data/e.bin
COPY f.bin /data/f.bin
DF
  local f
  for f in a b c d e f; do head -c 16777216 /dev/urandom >"$root/$f.bin"; done
  # The legacy builder uses the local sample as it is (BuildKit would look it up in a registry).
  DOCKER_BUILDKIT=0 docker build -q -t "$BERTH_TEST_REGISTRY/berth-test/large:1" "$root" >/dev/null 2>&1
  docker --config "$cfg" push -q "$BERTH_TEST_REGISTRY/berth-test/large:1" >/dev/null
  # Only the registry keeps them: a test's pull must come from it.
  docker rmi "$BERTH_TEST_REGISTRY/berth-test/busybox:1" "$BERTH_TEST_REGISTRY/berth-test/busybox:2" \
    "$BERTH_TEST_REGISTRY/berth-test/large:1" >/dev/null
  rm -rf "$root" "$cfg"
}

stop_registry_if_started() {
  if [ -n "$BERTH_REGISTRY_STARTED" ] && kill -0 "$BERTH_REGISTRY_STARTED" 2>/dev/null; then
    say "stopping the registry (pid $BERTH_REGISTRY_STARTED)"
    kill "$BERTH_REGISTRY_STARTED" || true
    local i
    for i in $(seq 1 30); do kill -0 "$BERTH_REGISTRY_STARTED" 2>/dev/null || break; sleep 0.2; done
  fi
  if [ -n "$BERTH_REGISTRY_DIR" ]; then rm -rf "$BERTH_REGISTRY_DIR"; fi
}
