#!/usr/bin/env bash
# Builds the hpaguard runtime image without any registry and measures it: image size (uncompressed, compressed
# layers, gzipped archive) and start-up time (process start to `GET /readyz` = 200 over HTTPS) with RSS.
# A developer's tool, not part of CI. Needs root (rootful podman storage, debootstrap, chroot).
#
#   scripts/build-image.sh                  # everything; reuses what an earlier run left (idempotent)
#   RUNS=20 scripts/build-image.sh          # more start-up runs (default 10)
#   BINARY=/path/to/hpaguard scripts/build-image.sh   # a static binary built elsewhere
#   SKIP_MEASURE=1 scripts/build-image.sh   # build only
#   NO_BUILD=1 scripts/build-image.sh       # use .build-static/release/hpaguard as it is
#   REBUILD_BASE=1 scripts/build-image.sh   # debootstrap the base again
#
# What it leaves: the images localhost/hpaguard:dev and localhost/debian:bookworm-slim with their build cache, and
# $WORK (/var/tmp/hpaguard-image: the debootstrapped rootfs, test certificates, logs). To remove them (the prune
# removes every dangling image in root's storage, the build cache among them):
#   podman rmi localhost/hpaguard:dev localhost/debian:bookworm-slim && podman image prune -f
#   rm -rf /var/tmp/hpaguard-image
#
# Steps:
#  1. installs what is missing from Debian: podman (its build is buildah's), runc, skopeo, debootstrap, curl, openssl,
#     binutils;
#  2. the base: with no registry to pull debian:bookworm-slim from, makes its equivalent with
#     `debootstrap --variant=minbase bookworm`, slimmed the way the official -slim images are (no docs, man pages or
#     translations; the same apt settings), imported as localhost/debian:bookworm-slim;
#  3. the binary: .build-static/release/hpaguard (`swift build -c release --static-swift-stdlib`, incremental; from
#     scratch 8-10 minutes on 2 cores), checked to need no Swift library at run time;
#  4. the image: `podman build -f deploy/Containerfile --target prebuilt` with RUNTIME_BASE set to the local base and
#     a context holding only the binary (the default target builds inside the Swift image instead: needs a registry);
#  5. measures size and start-up (see the numbers it prints, and deploy/README.md).
#
# This machine's quirks, handled here: the kernel runs cgroup v1 with a hybrid v2 mount, which crun refuses, so the
# containers run with runc; podman's default rlimits (nofile and nproc near 1M) are above this machine's hard limits
# and root lacks CAP_SYS_RESOURCE, so `podman run` gets explicit --ulimit values; builds use --isolation chroot.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

WORK="${WORK:-/var/tmp/hpaguard-image}"
IMAGE="${IMAGE:-localhost/hpaguard:dev}"
BASE_IMAGE="${BASE_IMAGE:-localhost/debian:bookworm-slim}"
STATIC_BINARY="$REPO/.build-static/release/hpaguard"
BINARY="${BINARY:-$STATIC_BINARY}"
RUNS="${RUNS:-10}"
PORT="${PORT:-18443}"
METRICS_PORT="${METRICS_PORT:-19090}"
# How long one start may take before it counts as a failure.
START_TIMEOUT_S="${START_TIMEOUT_S:-30}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'build-image.sh: %s\n' "$*" >&2; exit 1; }

[ $# -eq 0 ] || die "takes no arguments: the settings are environment variables (RUNS=20 scripts/build-image.sh)"

[ "$(id -u)" = 0 ] || die "run as root (rootful podman storage, debootstrap and chroot need it)"
mkdir -p "$WORK"

# --- 1. tools ---------------------------------------------------------------------------------------------------
need=()
for pair in podman:podman runc:runc skopeo:skopeo debootstrap:debootstrap curl:curl openssl:openssl \
    strip:binutils; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if ((${#need[@]})); then
    say "installing ${need[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Flags for `podman run` on this machine (see the header). PODMAN_RUN_FLAGS overrides them.
hard_nofile="$(ulimit -Hn)"
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
default_run_flags="--runtime runc --ulimit nofile=$hard_nofile:$hard_nofile --ulimit nproc=4096:4096"
read -r -a run_flags <<< "${PODMAN_RUN_FLAGS:-$default_run_flags}"

# --- 2. the base image ------------------------------------------------------------------------------------------
if [ -n "${REBUILD_BASE:-}" ]; then
    podman rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
    rm -rf "$WORK/rootfs-base"
fi
if podman image exists "$BASE_IMAGE"; then
    say "base $BASE_IMAGE exists (REBUILD_BASE=1 makes it again)"
else
    if [ ! -e "$WORK/rootfs-base/.complete" ]; then
        say "debootstrap --variant=minbase bookworm (downloads ~40 MB; minutes)"
        rm -rf "$WORK/rootfs-base"
        debootstrap --variant=minbase bookworm "$WORK/rootfs-base" ${DEBIAN_MIRROR:+"$DEBIAN_MIRROR"} \
            > "$WORK/debootstrap.log" 2>&1 || die "debootstrap failed; see $WORK/debootstrap.log"
        touch "$WORK/rootfs-base/.complete"
    fi
    say "slimming a copy of the rootfs like the official -slim images"
    R="$WORK/rootfs-slim"
    rm -rf "$R"
    cp -a "$WORK/rootfs-base" "$R"
    rm -f "$R/.complete"
    cat > "$R/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# as in the official -slim images: no docs (but copyright), man pages, info or translations
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
    find "$R/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$R/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "${R:?}"/usr/share/{groff,info,linda,lintian/overrides,locale,man}/*
    # The official images' apt settings: no package caches kept, no translations, gzipped indexes.
    cat > "$R/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::Languages "none";' > "$R/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Acquire::GzipIndexes "true";' > "$R/etc/apt/apt.conf.d/docker-gzip-indexes"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$R/etc/apt/apt.conf.d/docker-autoremove-suggests"
    # debootstrap's sources.list has bookworm only; add -updates and -security on the same mirror, as the official
    # image does.
    mirror="$(awk '$1 == "deb" { print $2; exit }' "$R/etc/apt/sources.list")"
    [ -n "$mirror" ] || die "no mirror in the debootstrapped sources.list"
    rm -f "$R/etc/apt/sources.list"
    cat > "$R/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # Nothing of this machine in the image: the runtime supplies /dev, hostname and resolv.conf.
    rm -rf "${R:?}"/var/cache/apt/*.bin "${R:?}"/var/cache/apt/archives/*.deb "${R:?}"/var/cache/apt/archives/partial/* \
        "${R:?}"/var/lib/apt/lists/* "${R:?}"/var/log/*.log "${R:?}"/var/log/apt/* "${R:?}"/tmp/* "${R:?}"/dev/*
    : > "$R/etc/hostname"
    : > "$R/etc/resolv.conf"
    say "importing the rootfs as $BASE_IMAGE"
    tar --numeric-owner --xattrs -C "$R" -c . | podman import --quiet --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
    rm -rf "$R"
fi

# --- 3. the static binary ---------------------------------------------------------------------------------------
# Always built (incrementally: seconds when nothing changed) so that the numbers are the tree's; not with BINARY
# given, nor with NO_BUILD=1.
if [ "$BINARY" = "$STATIC_BINARY" ] && [ -z "${NO_BUILD:-}" ]; then
    say "swift build -c release --static-swift-stdlib (from scratch: 8-10 minutes on 2 cores)"
    swift build -c release --static-swift-stdlib --product hpaguard --scratch-path "$REPO/.build-static" \
        > "$WORK/swift-build.log" 2>&1 || { tail -20 "$WORK/swift-build.log" >&2; die "swift build failed"; }
fi
[ -x "$BINARY" ] || die "BINARY=$BINARY is not an executable"
# (Not `ldd | grep -q`: with pipefail, grep quitting early fails the pipe.)
libs="$(ldd "$BINARY")" || die "ldd $BINARY failed"
if grep -Eq 'libswift|libFoundation|libdispatch|/opt/swift|not found' <<< "$libs"; then
    printf '%s\n' "$libs" >&2
    die "$BINARY needs libraries the image does not have (build it with --static-swift-stdlib)"
fi
say "binary: $("$BINARY" --version), $(stat -c %s "$BINARY") bytes; run-time libraries:" \
    "$(awk '/=>/ { print $1 }' <<< "$libs" | tr '\n' ' ')"

# --- 4. the image -----------------------------------------------------------------------------------------------
ctx="$WORK/context"
rm -rf "$ctx"
mkdir -p "$ctx"
# Stripped, as the Containerfile's build stage does (the debug info and symbols are half the binary).
strip -o "$ctx/hpaguard" "$BINARY"
binary_bytes="$(stat -c %s "$ctx/hpaguard")"
say "podman build --target prebuilt -t $IMAGE (RUNTIME_BASE=$BASE_IMAGE)"
podman build --isolation chroot --network host --pull=never -f "$REPO/deploy/Containerfile" --target prebuilt \
    --build-arg RUNTIME_BASE="$BASE_IMAGE" -t "$IMAGE" "$ctx" > "$WORK/build.log" 2>&1 \
    || { tail -20 "$WORK/build.log" >&2; die "podman build failed; see $WORK/build.log"; }
rm -rf "$ctx"
say "built $IMAGE ($(podman image inspect --format '{{.Id}}' "$IMAGE" | cut -c1-12))"
[ -n "${SKIP_MEASURE:-}" ] && exit 0

# --- 5. measure -------------------------------------------------------------------------------------------------
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

say "size"
image_size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
base_size="$(podman image inspect --format '{{.Size}}' "$BASE_IMAGE")"
mnt="$(podman image mount "$IMAGE")"
rootfs_bytes="$(du -sx --apparent-size -B1 "$mnt" | cut -f1)"
podman image unmount "$IMAGE" >/dev/null
rm -rf "$WORK/oci" "$WORK/hpaguard.tar"
# What a registry stores and a node pulls: the gzip-compressed layers (skopeo copies them as a push would).
skopeo copy --quiet --dest-compress-format gzip "containers-storage:$IMAGE" "oci:$WORK/oci:hpaguard" >/dev/null 2>&1 \
    || podman push --quiet --compression-format gzip "$IMAGE" "oci:$WORK/oci:hpaguard"
layers_bytes="$(python3 - "$WORK/oci" <<'EOF'
import json, sys, os
root = sys.argv[1]
index = json.load(open(os.path.join(root, "index.json")))
digest = index["manifests"][0]["digest"].split(":")[1]
manifest = json.load(open(os.path.join(root, "blobs", "sha256", digest)))
print(sum(layer["size"] for layer in manifest["layers"]))
EOF
)"
podman save --quiet --format docker-archive -o "$WORK/hpaguard.tar" "$IMAGE"
archive_bytes="$(stat -c %s "$WORK/hpaguard.tar")"
archive_gz_bytes="$(gzip -6 -c "$WORK/hpaguard.tar" | wc -c)"
rm -rf "$WORK/oci" "$WORK/hpaguard.tar"

say "certificates (deploy/scripts/self-signed-certs.sh, DRY_RUN)"
tls="$WORK/tls"
if [ ! -s "$tls/tls.crt" ]; then
    DRY_RUN=1 OUT="$tls" "$REPO/deploy/scripts/self-signed-certs.sh" >/dev/null
fi
# A Secret volume is world-readable (defaultMode 0644) for the non-root user; the same here.
chmod 0644 "$tls/tls.key"
host="hpaguard.hpaguard-system.svc"
serve_args=(serve --tls-cert-file=/etc/hpaguard/tls/tls.crt --tls-key-file=/etc/hpaguard/tls/tls.key
    --address=127.0.0.1 --port="$PORT" --metrics-port="$METRICS_PORT")
for p in "$PORT" "$METRICS_PORT"; do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then die "port $p is in use (set PORT / METRICS_PORT)"; fi
done

# Waits for /readyz = 200 over HTTPS, polling every ~5 ms; prints the elapsed milliseconds since $1 (ns).
wait_ready() {
    local t0="$1" deadline=$(($1 + START_TIMEOUT_S * 1000000000))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 --cacert "$tls/ca.crt" \
        --resolve "$host:$PORT:127.0.0.1" "https://$host:$PORT/readyz")" = 200 ]; do
        (($(date +%s%N) < deadline)) || return 1
        sleep 0.005
    done
    echo $((($(date +%s%N) - t0) / 1000000))
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# (a) The process alone: the image's rootfs (a container's, writable, from `podman mount`), chrooted as 65532, in
# its own mount namespace with its own /proc. What the kubelet's start adds is in (b).
say "start-up, process in the image's rootfs (chroot as 65532), $RUNS runs"
cid="$(podman create --pull=never "$IMAGE")"
trap 'podman rm -f "$cid" >/dev/null 2>&1 || true' EXIT
root="$(podman mount "$cid")"
mkdir -p "$root/etc/hpaguard/tls"
cp "$tls/tls.crt" "$tls/tls.key" "$root/etc/hpaguard/tls/"
chroot_ms=() chroot_rss=()
for ((i = 1; i <= RUNS; i++)); do
    t0="$(date +%s%N)"
    # shellcheck disable=SC2016 # $1 and $@ are the inner shell's
    unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && exec chroot --userspec=65532:65532 "$@"' sh \
        "$root" /usr/local/bin/hpaguard "${serve_args[@]}" > "$WORK/serve.log" 2>&1 &
    launcher=$!
    # unshare --fork does not pass a signal on to its child: stop hpaguard itself, or it keeps the ports.
    ms="$(wait_ready "$t0")" || {
        pkill -KILL -P "$launcher" 2>/dev/null; kill "$launcher" 2>/dev/null
        cat "$WORK/serve.log" >&2; die "not ready after ${START_TIMEOUT_S}s"
    }
    pid="$(pgrep -P "$launcher" -x hpaguard || true)"
    [ -n "$pid" ] || pid="$launcher"
    sleep 1
    chroot_ms+=("$ms") chroot_rss+=("$(rss_kb "$pid")")
    kill -TERM "$pid"
    wait "$launcher" || die "hpaguard did not exit 0 on SIGTERM (run $i); see $WORK/serve.log"
done
podman umount "$cid" >/dev/null
podman rm -f "$cid" >/dev/null
trap - EXIT

# (b) The container: `podman run -d` (runc, host network) to 200, as a kubelet's restart would see it.
say "start-up, podman run to /readyz 200, $RUNS runs"
podman_ms=() podman_rss=()
for ((i = 1; i <= RUNS; i++)); do
    t0="$(date +%s%N)"
    cid="$(podman run -d --pull=never "${run_flags[@]}" --network host --read-only \
        -v "$tls/tls.crt:/etc/hpaguard/tls/tls.crt:ro" -v "$tls/tls.key:/etc/hpaguard/tls/tls.key:ro" \
        "$IMAGE" "${serve_args[@]}")" || die "podman run failed"
    ms="$(wait_ready "$t0")" || { podman logs "$cid" >&2; podman rm -f "$cid" >/dev/null; die "not ready after ${START_TIMEOUT_S}s"; }
    sleep 1
    podman_ms+=("$ms") podman_rss+=("$(rss_kb "$(podman inspect --format '{{.State.Pid}}' "$cid")")")
    podman stop -t 10 "$cid" >/dev/null
    code="$(podman inspect --format '{{.State.ExitCode}}' "$cid")"
    podman rm "$cid" >/dev/null
    [ "$code" = 0 ] || die "the container exited $code on SIGTERM (run $i)"
done

echo
echo "hpaguard image $IMAGE  ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "  binary, stripped:               $(mb "$binary_bytes")"
echo "  base image (podman images):     $(mb "$base_size")  ($BASE_IMAGE)"
echo "  image size (podman images):     $(mb "$image_size")"
echo "  rootfs, uncompressed:           $(mb "$rootfs_bytes")"
echo "  layers, gzip (registry/pull):   $(mb "$layers_bytes")"
echo "  docker-archive: $(mb "$archive_bytes"), gzip -6: $(mb "$archive_gz_bytes")"
echo "  start to /readyz 200, chroot:   median $(printf '%s\n' "${chroot_ms[@]}" | median) ms  (runs: ${chroot_ms[*]})"
echo "  start to /readyz 200, podman:   median $(printf '%s\n' "${podman_ms[@]}" | median) ms  (runs: ${podman_ms[*]})"
echo "  RSS 1 s after ready, chroot:    median $(printf '%s\n' "${chroot_rss[@]}" | median) kB"
echo "  RSS 1 s after ready, podman:    median $(printf '%s\n' "${podman_rss[@]}" | median) kB"
