#!/usr/bin/env bash
# CPU-bound routes benchmark, run by hand (not a test): the p99 latency of an I/O-bound endpoint (GET /io) while
# CPU-bound calls keep their handlers busy, with the same CPU-heavy handler bound without a pool (GET /cpu/inline: on
# the host's threads) and with Pool = "cpu" (GET /cpu/pooled: the pool's own threads, one per core), on the built-in
# host and on Kestrel (bench/http/PoolBindings). Prints /io's p99 for both, the ratio inline/pooled, and the CPU calls
# per second served meanwhile.
#
#   bash bench/http/pools.sh
#
# Settings (environment variables, defaults in brackets):
#   CPU_CONNECTIONS [8]   wrk connections on the CPU-bound endpoint; at most the pool's threads + queue (4 per thread)
#                         so that no CPU call is refused with 503, and at least -t so that the inline ones fill -t
#   IO_CONNECTIONS [2]    wrk connections on GET /io
#   SPIN [2000000]        the CPU handler's rounds (?n=), a few milliseconds
#   WRK_DURATION [10s]    measurement of /io; the CPU load starts WRK_WARMUP before it and ends after it
#   WRK_WARMUP [3s]  USRV_LOOPS [8] (-t)  SERVERS ["listener kestrel"]  USRV_PORT [5093]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CPU_CONNECTIONS="${CPU_CONNECTIONS:-8}"
IO_CONNECTIONS="${IO_CONNECTIONS:-2}"
SPIN="${SPIN:-2000000}"
WRK_DURATION="${WRK_DURATION:-10s}"
WRK_WARMUP="${WRK_WARMUP:-3s}"
USRV_LOOPS="${USRV_LOOPS:-8}"
SERVERS="${SERVERS:-listener kestrel}"
USRV_PORT="${USRV_PORT:-5093}"


source "$ROOT/bench/http/lib.sh"   # WORK, RUNNING, cleanup on exit, require_tools, build_release, wait_ready, stop
require_tools wrk curl
build_release "$ROOT/Usrv.Host" "$ROOT/bench/http/PoolBindings"
USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"
BINDINGS_DLL="$ROOT/bench/http/PoolBindings/bin/Release/net10.0/PoolBindings.dll"
seconds() { local d="$1"; [[ "$d" == *s ]] && d="${d%s}"; echo "$d"; }
CPU_DURATION="$(( $(seconds "$WRK_WARMUP") * 2 + $(seconds "$WRK_DURATION") ))s"

# wrk's 99% latency line in milliseconds (wrk prints us, ms or s).
p99_ms() {
    awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
        print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : u == "m" ? v * 60000 : v); exit }' "$1"
}

# Measures /io on a running server while $1 (the CPU path) is loaded; prints "p99_ms cpu_rps io_errors cpu_non2xx".
measure() {
    local base="http://127.0.0.1:$USRV_PORT" mode="$1"
    wrk -t1 -c"$CPU_CONNECTIONS" -d"$CPU_DURATION" "$base/cpu/$mode?n=$SPIN" >"$WORK/cpu-$mode.out" 2>&1 &
    local load=$!
    sleep "$(seconds "$WRK_WARMUP")"
    wrk -t1 -c"$IO_CONNECTIONS" -d"$WRK_DURATION" --latency "$base/io" >"$WORK/io-$mode.out" 2>&1
    wait "$load"
    echo "$(p99_ms "$WORK/io-$mode.out")" \
        "$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/cpu-$mode.out")" \
        "$(grep -cE 'Non-2xx|Socket errors' "$WORK/io-$mode.out" || true)" \
        "$(awk '/Non-2xx/ { print $4 }' "$WORK/cpu-$mode.out" | grep . || echo 0)"
}

echo "== GET /io p99 while $CPU_CONNECTIONS connections call the CPU-bound handler (n=$SPIN), -t $USRV_LOOPS, $(nproc) cores"
echo "   wrk: /io -t1 -c$IO_CONNECTIONS -d$WRK_DURATION --latency; CPU load -t1 -c$CPU_CONNECTIONS from $WRK_WARMUP before"
printf '%-9s %16s %16s %8s %14s %14s\n' server "p99 inline (ms)" "p99 pooled (ms)" ratio "cpu/s inline" "cpu/s pooled"
for server in $SERVERS; do
    dotnet "$USRV_DLL" -p "$USRV_PORT" -t "$USRV_LOOPS" -l 30 --server "$server" "$BINDINGS_DLL" \
        >/dev/null 2>"$WORK/usrv-$server.err" &
    pid=$!
    RUNNING[$pid]=1
    wait_ready "http://127.0.0.1:$USRV_PORT/io"
    wrk -t1 -c"$IO_CONNECTIONS" -d1s "http://127.0.0.1:$USRV_PORT/io" >/dev/null
    wrk -t1 -c2 -d1s "http://127.0.0.1:$USRV_PORT/cpu/pooled?n=$SPIN" >/dev/null
    wrk -t1 -c2 -d1s "http://127.0.0.1:$USRV_PORT/cpu/inline?n=$SPIN" >/dev/null
    read -r p99_inline rps_inline io_err_inline refused_inline <<<"$(measure inline)"
    read -r p99_pooled rps_pooled io_err_pooled refused_pooled <<<"$(measure pooled)"
    stop "$pid" "usrv --server $server" "$WORK/usrv-$server.err"
    ratio="$(awk -v a="$p99_inline" -v b="$p99_pooled" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')"
    printf '%-9s %16s %16s %8s %14s %14s\n' "$server" "$p99_inline" "$p99_pooled" "$ratio" "$rps_inline" "$rps_pooled"
    if [[ "$io_err_inline$io_err_pooled" != 00 || "$refused_inline$refused_pooled" != 00 ]]; then
        echo "   note: /io errors (inline, pooled): $io_err_inline, $io_err_pooled;" \
            "CPU calls answered non-2xx (503, pool full): $refused_inline, $refused_pooled" >&2
    fi
done
