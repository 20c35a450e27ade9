#!/usr/bin/env bash
# Webhook benchmark (not a test): `hpaguard serve` beside an HTTPS floor measured in the same run.
#
#   bench/webhook.sh [PATH/TO/hpaguard]      default: .build-release/release/hpaguard
#                                            (swift build -c release --scratch-path .build-release)
#
# The floor is nginx on the same machine returning a fixed AdmissionReview v1 for POST /validate: TLS + HTTP/1.1 and
# nothing else. Both get the same request (../shared/bench/webhook/gen_review.py: a 4 KB CREATE of an
# autoscaling/v2 HPA as kube-apiserver sends it) over TLS keep-alive connections:
#   - saturation: wrk -t1 -cCONNS for DURATION s (closed loop): requests/s, p50, p99;
#   - paced (h2load --h1 --rps), p50 and p99: at RATE req/s (the issue's 1,000) and at half the floor's saturation;
#   - resident memory of hpaguard: idle (after start and one request) and its peak under load;
#   - hpaguard's own ceiling: the same POST to a path it does not route (404 once the body is read), i.e. its TLS +
#     HTTP/1.1 with no review at all, so the review's share of the gap to the floor can be read off.
# hpaguard runs without a Kubernetes API (lookups skipped with a warning), as the shared harness runs it.
# Aims: >= 40% of the floor's requests/s, p99 at RATE req/s <= 3 x the floor's, < 50 MiB resident.
#
# Knobs: DURATION=10 RATE=1000 CONNS=16 H2_CLIENTS=4 NGINX_WORKERS=auto BENCH_SHARED=../shared/bench KEEP=1 (keep the tmp dir)
# Everything listens on 127.0.0.1 only; every child is time-bounded; servers are stopped by their PIDs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HPAGUARD="${1:-$ROOT/.build-release/release/hpaguard}"
SHARED="${BENCH_SHARED:-$ROOT/../shared/bench}"
DURATION="${DURATION:-10}"
RATE="${RATE:-1000}"
CONNS="${CONNS:-16}"
H2_CLIENTS="${H2_CLIENTS:-4}"
NGINX_WORKERS="${NGINX_WORKERS:-auto}"

die() { echo "webhook.sh: $*" >&2; exit 2; }
[ -x "$HPAGUARD" ] || die "not executable: $HPAGUARD (swift build -c release --scratch-path .build-release)"
for tool in wrk h2load openssl python3 curl; do command -v "$tool" >/dev/null || die "missing $tool (apt-get install wrk nghttp2-client openssl curl)"; done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || die "missing nginx (apt-get install nginx)"
[ -f "$SHARED/webhook/gen_review.py" ] && [ -f "$SHARED/webhook/post.lua" ] || die "no shared bench at $SHARED (set BENCH_SHARED)"

TMP="$(mktemp -d /tmp/hpaguard-webhook-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ -z "${KEEP:-}" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_ready() { # url
  for _ in $(seq 1 150); do
    if curl -sk --max-time 1 -o /dev/null -w '%{http_code}' "$1" | grep -q 200; then return 0; fi
    sleep 0.2
  done
  die "not ready: $1"
}

wrk_run() { # url conns seconds -> WRK_JSON line
  timeout $(( $3 + 30 )) wrk -t1 -c"$2" -d"$3"s --timeout 10s --latency -s "$SHARED/webhook/post.lua" "$1" -- "$TMP/request.json" \
    | sed -n 's/^WRK_JSON //p'
}

h2_run() { # url total_rps -> "achieved p50_us p99_us ok total"
  local per=$(( $2 / H2_CLIENTS )); [ "$per" -ge 1 ] || per=1
  rm -f "$TMP/h2.log"
  timeout $(( DURATION + 40 )) h2load --h1 -c "$H2_CLIENTS" -t 1 --rps "$per" -D "$DURATION" --warm-up-time 1 \
    -d "$TMP/request.json" -H 'content-type: application/json' --log-file "$TMP/h2.log" "$1" >/dev/null 2>&1 || true
  python3 - "$TMP/h2.log" "$DURATION" <<'EOF'
import sys
lat, ok = [], 0
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 3:
        lat.append(int(parts[2])); ok += parts[1] == "200"
lat.sort()
pct = lambda q: lat[min(len(lat) - 1, int(round(q / 100 * (len(lat) - 1))))] if lat else 0
print(f"{len(lat) / float(sys.argv[2]):.0f} {pct(50)} {pct(99)} {ok} {len(lat)}")
EOF
}

field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
rss_kib() { awk -v key="$2" '$1 == key":" { print $2 }' "/proc/$1/status"; }
ms() { python3 -c "print(f'{$1/1000:.2f}')"; }

python3 "$SHARED/webhook/gen_review.py" "$TMP"
openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 2 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$TMP/tls.key" -out "$TMP/tls.crt" 2>/dev/null
BODY="$(cat "$TMP/response.json")"

# --- the floor: nginx, fixed answer
NPORT="$(free_port)"
mkdir -p "$TMP/nginx"
cat > "$TMP/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/body;
    keepalive_requests 10000000;
    keepalive_timeout 75s;
    client_max_body_size 8m;
    client_body_buffer_size 64k;
    server {
        listen 127.0.0.1:$NPORT ssl;
        ssl_certificate $TMP/tls.crt;
        ssl_certificate_key $TMP/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        location = /validate { default_type application/json; return 200 '$BODY'; }
        location = /readyz { return 200 'ok'; }
    }
}
EOF
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -e "$TMP/nginx/error.log" &
PIDS+=($!)
NGINX_PID=$!
wait_ready "https://127.0.0.1:$NPORT/readyz"
wrk_run "https://127.0.0.1:$NPORT/validate" "$CONNS" 2 >/dev/null  # warm-up
FLOOR_SAT="$(wrk_run "https://127.0.0.1:$NPORT/validate" "$CONNS" "$DURATION")"
FLOOR_RPS="$(field "$FLOOR_SAT" rps | cut -d. -f1)"
HALF=$(( FLOOR_RPS / 2 ))
read -r FLOOR_RATE_RPS FLOOR_RATE_P50 FLOOR_RATE_P99 FLOOR_RATE_OK FLOOR_RATE_N <<<"$(h2_run "https://127.0.0.1:$NPORT/validate" "$RATE")"
read -r FLOOR_HALF_RPS FLOOR_HALF_P50 FLOOR_HALF_P99 FLOOR_HALF_OK FLOOR_HALF_N <<<"$(h2_run "https://127.0.0.1:$NPORT/validate" "$HALF")"
kill -TERM "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true

# --- hpaguard serve
HPORT="$(free_port)"; MPORT="$(free_port)"
"$HPAGUARD" serve --tls-cert-file "$TMP/tls.crt" --tls-key-file "$TMP/tls.key" --address 127.0.0.1 \
  --port "$HPORT" --metrics-port "$MPORT" 2>"$TMP/hpaguard.log" &
HPID=$!
PIDS+=("$HPID")
wait_ready "https://127.0.0.1:$HPORT/readyz"
SANITY="$(curl -sk --max-time 5 -H 'content-type: application/json' --data-binary @"$TMP/request.json" "https://127.0.0.1:$HPORT/validate")"
echo "$SANITY" | grep -q '"uid":"705ab4f5-6393-11e8-b7cc-42010a800002"' || die "hpaguard did not echo the uid: $SANITY"
RSS_IDLE="$(rss_kib "$HPID" VmRSS)"
wrk_run "https://127.0.0.1:$HPORT/validate" "$CONNS" 2 >/dev/null  # warm-up
HP_SAT="$(wrk_run "https://127.0.0.1:$HPORT/validate" "$CONNS" "$DURATION")"
HP_BARE="$(wrk_run "https://127.0.0.1:$HPORT/no-review" "$CONNS" "$DURATION")"
read -r HP_RATE_RPS HP_RATE_P50 HP_RATE_P99 HP_RATE_OK HP_RATE_N <<<"$(h2_run "https://127.0.0.1:$HPORT/validate" "$RATE")"
read -r HP_HALF_RPS HP_HALF_P50 HP_HALF_P99 HP_HALF_OK HP_HALF_N <<<"$(h2_run "https://127.0.0.1:$HPORT/validate" "$HALF")"
# hpaguard's own half-saturation rate too: when it cannot reach half the floor's rate, that line measures a queue.
HP_RPS="$(field "$HP_SAT" rps | cut -d. -f1)"
OWN_HALF=$(( HP_RPS / 2 ))
read -r HP_OWN_RPS HP_OWN_P50 HP_OWN_P99 HP_OWN_OK HP_OWN_N <<<"$(h2_run "https://127.0.0.1:$HPORT/validate" "$OWN_HALF")"
RSS_PEAK="$(rss_kib "$HPID" VmHWM)"
kill -TERM "$HPID"
for _ in $(seq 1 100); do kill -0 "$HPID" 2>/dev/null || break; sleep 0.1; done
wait "$HPID" 2>/dev/null && HP_EXIT=0 || HP_EXIT=$?

cat <<EOF

== hpaguard webhook benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
request: $(wc -c <"$TMP/request.json") B AdmissionReview v1 (CREATE, autoscaling/v2); TLS keep-alive; wrk -t1 -c$CONNS ${DURATION}s; h2load --h1 -c$H2_CLIENTS paced
                           req/s   p50 ms   p99 ms   errors(status)
saturation  nginx floor  $(printf '%7s' "$FLOOR_RPS")  $(printf '%7s' "$(ms "$(field "$FLOOR_SAT" p50_us)")")  $(printf '%7s' "$(ms "$(field "$FLOOR_SAT" p99_us)")")   $(field "$FLOOR_SAT" err_status)
saturation  hpaguard     $(printf '%7s' "$HP_RPS")  $(printf '%7s' "$(ms "$(field "$HP_SAT" p50_us)")")  $(printf '%7s' "$(ms "$(field "$HP_SAT" p99_us)")")   $(field "$HP_SAT" err_status)
saturation  no review    $(printf '%7s' "$(field "$HP_BARE" rps | cut -d. -f1)")  $(printf '%7s' "$(ms "$(field "$HP_BARE" p50_us)")")  $(printf '%7s' "$(ms "$(field "$HP_BARE" p99_us)")")   (all 404 by design: hpaguard's TLS + HTTP alone, the same POST to an unrouted path)
@${RATE}/s     nginx floor  $(printf '%7s' "$FLOOR_RATE_RPS")  $(printf '%7s' "$(ms "$FLOOR_RATE_P50")")  $(printf '%7s' "$(ms "$FLOOR_RATE_P99")")   $((FLOOR_RATE_N - FLOOR_RATE_OK)) of $FLOOR_RATE_N
@${RATE}/s     hpaguard     $(printf '%7s' "$HP_RATE_RPS")  $(printf '%7s' "$(ms "$HP_RATE_P50")")  $(printf '%7s' "$(ms "$HP_RATE_P99")")   $((HP_RATE_N - HP_RATE_OK)) of $HP_RATE_N
@${HALF}/s    nginx floor  $(printf '%7s' "$FLOOR_HALF_RPS")  $(printf '%7s' "$(ms "$FLOOR_HALF_P50")")  $(printf '%7s' "$(ms "$FLOOR_HALF_P99")")   $((FLOOR_HALF_N - FLOOR_HALF_OK)) of $FLOOR_HALF_N
@${HALF}/s    hpaguard     $(printf '%7s' "$HP_HALF_RPS")  $(printf '%7s' "$(ms "$HP_HALF_P50")")  $(printf '%7s' "$(ms "$HP_HALF_P99")")   $((HP_HALF_N - HP_HALF_OK)) of $HP_HALF_N
@${OWN_HALF}/s    hpaguard     $(printf '%7s' "$HP_OWN_RPS")  $(printf '%7s' "$(ms "$HP_OWN_P50")")  $(printf '%7s' "$(ms "$HP_OWN_P99")")   $((HP_OWN_N - HP_OWN_OK)) of $HP_OWN_N   (half of hpaguard's own saturation rate)
hpaguard / floor requests/s at saturation: $(python3 -c "print(f'{$HP_RPS/$FLOOR_RPS*100:.0f}%')")  (aim >= 40%); with no review: $(python3 -c "print(f'{$(field "$HP_BARE" rps)/$FLOOR_RPS*100:.0f}%')")
hpaguard / floor p99 at ${RATE}/s: $(python3 -c "print(f'{$HP_RATE_P99/max($FLOOR_RATE_P99,1):.1f} x')")  (aim <= 3 x)
hpaguard resident memory: idle $(( RSS_IDLE / 1024 )) MiB, peak under load $(( RSS_PEAK / 1024 )) MiB  (aim < 50 MiB)
hpaguard exit status after SIGTERM: $HP_EXIT
EOF
