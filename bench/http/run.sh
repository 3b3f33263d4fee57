#!/usr/bin/env bash
# HTTP benchmark, run by hand (not a test): requests per second of GET /test?b=12&a=Paris on usrv's built-in host
# against a bare HttpListener that writes the same bytes (bench/http/BareListener), with the same load generator
# (wrk) and settings, in one run; prints both figures and the ratio usrv/bare (target: at least 0.85).
# bench/http/run-kestrel.sh measures the Kestrel adapter host (usrv --server kestrel) and the built-in host against a
# plain ASP.NET Core Minimal API app (bench/http/MinimalApi) instead.
#
#   bash bench/http/run.sh
#
# Settings (environment variables, defaults in brackets):
#   WRK_THREADS [2]  WRK_CONNECTIONS [32]  WRK_DURATION [10s]  WRK_WARMUP [3s]
#   USRV_LOOPS [8]            request loops of usrv (-t) and of the bare listener
#   USRV_LOG_LEVELS ["30 20"] one usrv run per level: 30 (warnings only, comparable with the bare listener, which
#                             logs nothing) and 20 (usrv's default, one access log line per request)
#   ROUNDS [1]                measurements per server and level (alternating bare/usrv); the figures are the means
#   USRV_PORT [5091]  BARE_PORT [5092]  TARGET [/test?b=12&a=Paris]
#   USRV_STDOUT [/dev/null]   where usrv's console log goes
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
WRK_DURATION="${WRK_DURATION:-10s}"
WRK_WARMUP="${WRK_WARMUP:-3s}"
USRV_LOOPS="${USRV_LOOPS:-8}"
USRV_LOG_LEVELS="${USRV_LOG_LEVELS:-30 20}"
ROUNDS="${ROUNDS:-1}"
USRV_PORT="${USRV_PORT:-5091}"
BARE_PORT="${BARE_PORT:-5092}"
TARGET="${TARGET:-/test?b=12&a=Paris}"
USRV_STDOUT="${USRV_STDOUT:-/dev/null}"

source "$ROOT/bench/http/lib.sh"   # WORK, RUNNING, cleanup on exit, require_tools, build_release, wait_ready, stop
require_tools wrk curl
build_release "$ROOT/Usrv.Host" "$ROOT/bench/http/BareListener"
USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"
BARE_DLL="$ROOT/bench/http/BareListener/bin/Release/net10.0/BareListener.dll"


# Runs wrk against $1 for $2 and prints its requests per second.
rps() {
    local out
    out="$(wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2" --latency "$1")"
    if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
        echo "   wrk reported errors for $1:" >&2
        grep -E "Non-2xx|Socket errors" <<<"$out" | sed 's/^/   /' >&2
    fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

# The answer without the Date header, to check that both servers send the same bytes.
answer() {
    curl -s -D - --max-time 2 "$1" | tr -d '\r' | grep -v -i '^date:'
}

echo "== bare HttpListener on 127.0.0.1:$BARE_PORT ($USRV_LOOPS loops)"
dotnet "$BARE_DLL" "$BARE_PORT" "$USRV_LOOPS" >/dev/null 2>"$WORK/bare.err" &
BARE_PID=$!
RUNNING[$BARE_PID]=1
wait_ready "http://127.0.0.1:$BARE_PORT$TARGET"
wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_WARMUP" "http://127.0.0.1:$BARE_PORT$TARGET" >/dev/null

echo "== wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, GET $TARGET, $ROUNDS round(s)"
declare -A SUMMARY
for level in $USRV_LOG_LEVELS; do
    dotnet "$USRV_DLL" -p "$USRV_PORT" -t "$USRV_LOOPS" -l "$level" >"$USRV_STDOUT" 2>"$WORK/usrv-$level.err" &
    USRV_PID=$!
    RUNNING[$USRV_PID]=1
    wait_ready "http://127.0.0.1:$USRV_PORT$TARGET"
    if [[ "$(answer "http://127.0.0.1:$USRV_PORT$TARGET")" != "$(answer "http://127.0.0.1:$BARE_PORT$TARGET")" ]]; then
        echo "   warning: usrv and the bare listener do not send the same answer:" >&2
        diff <(answer "http://127.0.0.1:$USRV_PORT$TARGET") <(answer "http://127.0.0.1:$BARE_PORT$TARGET") >&2 || true
    fi
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_WARMUP" "http://127.0.0.1:$USRV_PORT$TARGET" >/dev/null

    bare_sum=0
    usrv_sum=0
    for round in $(seq "$ROUNDS"); do
        bare="$(rps "http://127.0.0.1:$BARE_PORT$TARGET" "$WRK_DURATION")"
        usrv="$(rps "http://127.0.0.1:$USRV_PORT$TARGET" "$WRK_DURATION")"
        printf '   -l %s round %s: bare %10.0f req/s   usrv %10.0f req/s   ratio %.3f\n' \
            "$level" "$round" "$bare" "$usrv" "$(awk -v u="$usrv" -v b="$bare" 'BEGIN { print u / b }')"
        bare_sum="$(awk -v s="$bare_sum" -v x="$bare" 'BEGIN { print s + x }')"
        usrv_sum="$(awk -v s="$usrv_sum" -v x="$usrv" 'BEGIN { print s + x }')"
    done
    SUMMARY[$level]="$(awk -v u="$usrv_sum" -v b="$bare_sum" -v n="$ROUNDS" \
        'BEGIN { printf "bare %10.0f req/s   usrv %10.0f req/s   usrv/bare %.3f%s", b / n, u / n, u / b, (u / b >= 0.85 ? "" : "   (below the 0.85 target)") }')"
    stop "$USRV_PID" "usrv -l $level" "$WORK/usrv-$level.err"
done
stop "$BARE_PID" "the bare listener" "$WORK/bare.err"

echo "== results (GET $TARGET, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, $USRV_LOOPS loops, $(nproc) cores)"
for level in $USRV_LOG_LEVELS; do
    printf '   usrv -l %-3s %s\n' "$level" "${SUMMARY[$level]}"
done
