# Builds Berth's container image onto the local Docker engine from what this machine has: the
# service jar, a jlink'd Java runtime, the shared libraries it and the embedded PostgreSQL
# binaries link against, and Debian's static busybox for /bin/sh. No base image is pulled (no
# registry is reachable here): a root file system is assembled and handed to `docker import`.
# Sourced after host.sh, not executed.

BERTH_IMAGE_REPOSITORY="${BERTH_IMAGE_REPOSITORY:-berth/berth}"
# The user the image runs as. PostgreSQL refuses to run as root, so embedded PostgreSQL needs it;
# the Helm chart's runAsUser is the same number.
BERTH_IMAGE_UID=10001
BERTH_JAR="${BERTH_JAR:-service/target/berth-service.jar}"

# What the service needs of the JDK. `jdeps --print-module-deps` over the jar's libraries (30 s,
# so not run at every build) reports java.base, compiler, desktop (java.beans), instrument,
# net.http, prefs, rmi, scripting, security.jgss, sql.rowset, jdk.jfr, jdk.management, jdk.net and
# jdk.unsupported. Added are what is only reached by reflection or service lookup: jdk.crypto.ec
# (TLS to Docker engines and PostgreSQL), jdk.naming.dns, jdk.zipfs, java.security.sasl.
BERTH_JRE_MODULES="java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,\
java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.sql.rowset,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,\
jdk.unsupported,jdk.zipfs"

# The version the jar was built as (its Maven pom.properties), e.g. 0.1.0-SNAPSHOT.
berth_jar_version() {
  unzip -p "$BERTH_JAR" 'META-INF/maven/dev.berth/berth-service/pom.properties' |
    sed -n 's/^version=//p' | tr -d '\r'
}

# Jars built with a fixed entry time are reproducible: the jar a later `mvn verify` makes with the
# same time is byte for byte the one in the image, as ContainerImageE2E checks (its label).
BERTH_BUILD_TIMESTAMP="${BERTH_BUILD_TIMESTAMP:-$(git log -1 --format=%cI 2>/dev/null || echo 2026-01-01T00:00:00Z)}"

build_berth_jar() {
  say "building $BERTH_JAR"
  mvn -B -q -DskipTests -Dspotless.check.skip=true \
    -Dproject.build.outputTimestamp="$BERTH_BUILD_TIMESTAMP" package -pl service -am
}

ensure_berth_jar() {
  [ -f "$BERTH_JAR" ] || build_berth_jar
}

# A Java 17 runtime of only the modules above, cached in $1 and made again when the JDK or this
# file changes.
ensure_jlinked_jre() {
  local jre="$1" jdk stamp
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v jlink)")")")"
  if [ ! -d "$jdk/jmods" ]; then
    # Debian ships the jmods with the JDK (bookworm) or as their own package (later releases).
    apt_install openjdk-17-jdk-headless
    apt-cache show openjdk-17-jmods >/dev/null 2>&1 && apt_install openjdk-17-jmods
  fi
  stamp="$(cat "$jdk/release" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)"
  if [ -f "$jre/.stamp" ] && [ "$(cat "$jre/.stamp")" = "$stamp" ]; then
    return 0
  fi
  say "linking a Java runtime from $jdk/jmods"
  rm -rf "$jre"
  mkdir -p "$(dirname "$jre")"
  "$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$BERTH_JRE_MODULES" \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$jre"
  # Debian's JDK links its trust store to /etc/ssl/certs/java/cacerts; the image has no such path.
  rm -f "$jre/lib/security/cacerts"
  cp -L "$jdk/lib/security/cacerts" "$jre/lib/security/cacerts"
  # A headless server: java.desktop is there for java.beans, not for X11, sound, fonts or the
  # splash screen, whose native parts would pull in some 20 MB of X11 and codec libraries.
  rm -f "$jre"/lib/lib{awt_xawt,jawt,splashscreen,jsound,fontmanager,javajpeg,lcms}.so
  echo "$stamp" >"$jre/.stamp"
}

# Copies into root $1 every system library the ELF files under the other arguments link against,
# at the path the dynamic linker finds it on this machine. Libraries under $2 (the build's work
# directory: the runtime's own, PostgreSQL's lib/) are found through their rpath and skipped.
copy_linked_libraries() {
  local root="$1" work="$2" lib
  shift 2
  # pltcl (PL/Tcl, never used by Berth) is the one PostgreSQL module that needs more than libc;
  # pgxs holds the regression-test tools of extension builds, which need libpq, LDAP and Kerberos.
  find "$@" -path '*/pgxs' -prune -o -type f \( -perm -u+x -o -name '*.so*' \) ! -name 'pltcl.so' -print0 |
    xargs -0 sh -c 'ldd "$@" 2>/dev/null || true' ldd |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' |
    sort -u |
    while read -r lib; do
      case "$lib" in "$root"/* | "$work"/*) continue ;; esac
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
}

# Builds $BERTH_IMAGE_REPOSITORY:<jar version> and :latest. The image's label dev.berth.jar-sha256
# names the jar inside, so a test can tell a stale image from the one just built; with
# dev.berth.recipe-sha256 (this file) it also lets an unchanged build be skipped.
build_berth_image() {
  ensure_berth_jar
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  command -v xz >/dev/null 2>&1 || apt_install xz-utils
  local version sha recipe work root started
  started="$(date +%s)"
  version="$(berth_jar_version)"
  [ -n "$version" ] || { say "no version in $BERTH_JAR"; return 1; }
  sha="$(sha256sum "$BERTH_JAR" | cut -d' ' -f1)"
  recipe="$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"
  if [ "$(docker image inspect -f \
    '{{ index .Config.Labels "dev.berth.jar-sha256" }} {{ index .Config.Labels "dev.berth.recipe-sha256" }}' \
    "$BERTH_IMAGE_REPOSITORY:$version" 2>/dev/null)" = "$sha $recipe" ]; then
    say "$BERTH_IMAGE_REPOSITORY:$version is up to date with $BERTH_JAR"
    docker tag "$BERTH_IMAGE_REPOSITORY:$version" "$BERTH_IMAGE_REPOSITORY:latest"
    return 0
  fi

  work="$(readlink -f service/target)/image"
  mkdir -p "$work"
  ensure_jlinked_jre "$work/jre"
  # Under target/, not /tmp: a failed build leaves nothing behind that `mvn clean` would not remove.
  root="$work/rootfs"
  as_root rm -rf "$root"

  say "assembling the image's root file system"
  mkdir -p "$root/opt/berth" "$root/bin" "$root/etc/ssl/certs" "$root/usr/lib/locale" \
    "$root/tmp" "$root/var/lib/berth" "$root/home/berth"
  cp -a "$work/jre" "$root/opt/java"
  rm -f "$root/opt/java/.stamp"
  cp "$BERTH_JAR" "$root/opt/berth/berth-service.jar"
  # initdb and pg_ctl start PostgreSQL through /bin/sh; busybox also gives `docker exec` a shell.
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done

  # Embedded PostgreSQL's binaries are in the jar; find what they link against here, at build time.
  local pg="$work/postgres"
  rm -rf "$pg" && mkdir -p "$pg"
  unzip -p "$BERTH_JAR" 'BOOT-INF/lib/embedded-postgres-binaries-linux-*.jar' >"$pg/binaries.jar"
  unzip -p "$pg/binaries.jar" '*.txz' | tar -xJ -C "$pg"
  copy_linked_libraries "$root" "$work" "$root/opt/java" "$pg/bin" "$pg/lib"
  rm -rf "$pg"

  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
  # The libraries are this machine's; zonky also reads it to choose its PostgreSQL binaries.
  cp -L /etc/os-release "$root/etc/os-release" 2>/dev/null || true
  # Java 17 takes its default charset from the locale; C.UTF-8 makes it (and PostgreSQL) UTF-8.
  [ -d /usr/lib/locale/C.utf8 ] && cp -a /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
  cat >"$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
berth:x:$BERTH_IMAGE_UID:$BERTH_IMAGE_UID:Berth:/home/berth:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<EOF
root:x:0:
berth:x:$BERTH_IMAGE_UID:
nogroup:x:65534:
EOF
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
  chmod 1777 "$root/tmp"
  # zonky extracts PostgreSQL into /tmp and keeps its data in BERTH_DATA_DIR; both writable by
  # the user, and HOME too (~/.berth is the data directory's default).
  as_root chown -R "$BERTH_IMAGE_UID:$BERTH_IMAGE_UID" "$root/var/lib/berth" "$root/home/berth"
  chmod 0750 "$root/var/lib/berth"

  local previous
  previous="$(docker image inspect -f '{{.Id}}' "$BERTH_IMAGE_REPOSITORY:$version" 2>/dev/null || true)"
  say "importing $BERTH_IMAGE_REPOSITORY:$version"
  tar --numeric-owner -C "$root" -c . | docker import \
    -c 'ENTRYPOINT ["/opt/java/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", "-jar", "/opt/berth/berth-service.jar"]' \
    -c "USER $BERTH_IMAGE_UID:$BERTH_IMAGE_UID" \
    -c 'WORKDIR /home/berth' \
    -c 'ENV PATH=/opt/java/bin:/bin' \
    -c 'ENV JAVA_HOME=/opt/java' \
    -c 'ENV HOME=/home/berth' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV BERTH_DATA_DIR=/var/lib/berth' \
    -c 'EXPOSE 8080' \
    -c "LABEL org.opencontainers.image.title=berth org.opencontainers.image.version=$version dev.berth.jar-sha256=$sha dev.berth.recipe-sha256=$recipe" \
    - "$BERTH_IMAGE_REPOSITORY:$version" >/dev/null
  as_root rm -rf "$root"
  docker tag "$BERTH_IMAGE_REPOSITORY:$version" "$BERTH_IMAGE_REPOSITORY:latest"
  # The image this one replaces, now untagged; kept if a container still uses it.
  if [ -n "$previous" ]; then docker rmi "$previous" >/dev/null 2>&1 || true; fi
  say "built $BERTH_IMAGE_REPOSITORY:$version (and :latest), $(docker image inspect -f '{{.Size}}' \
    "$BERTH_IMAGE_REPOSITORY:$version" | awk '{printf "%d MB", $1 / 1000000}') in $(($(date +%s) - started)) s"
}
