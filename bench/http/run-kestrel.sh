#!/usr/bin/env bash
# HTTP benchmark, run by hand (not a test): requests per second of GET /test?b=12&a=Paris on three servers, with the
# same load generator (wrk) and settings, in one run:
#   adapter   usrv --server kestrel -l 30    usrv's demo bindings behind ASP.NET Core (Kestrel), the adapter host
#   minimal   bench/http/MinimalApi          a plain ASP.NET Core Minimal API app: app.MapGet("/test", (string? a, string? b) => new[] { a, b })
#   builtin   usrv -l 30                     usrv's built-in HttpListener host
# Prints each round, the means, and the ratios adapter/minimal (target: at least 0.9) and builtin/minimal.
# (bench/http/run.sh compares the built-in host with a bare HttpListener instead.)
#
#   bash bench/http/run-kestrel.sh
#   ROUNDS=3 bash bench/http/run-kestrel.sh
#
# Settings (environment variables, defaults in brackets):
#   WRK_THREADS [2]  WRK_CONNECTIONS [32]  WRK_DURATION [10s]  WRK_WARMUP [3s]
#   ROUNDS [1]                measurements per server; each round runs the three servers in turn, starting with a
#                             different one each round, and the figures are the means
#   USRV_LOOPS [8]            request loops of the built-in host (-t); Kestrel schedules itself
#   USRV_LOG_LEVEL [30]       -l of both usrv servers: 30 logs warnings only, as the Minimal API app logs nothing
#   ADAPTER_PORT [5093]  MINIMAL_PORT [5094]  BUILTIN_PORT [5095]  TARGET [/test?b=12&a=Paris]
#   USRV_STDOUT [/dev/null]   where the usrv servers' console log goes
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
WRK_DURATION="${WRK_DURATION:-10s}"
WRK_WARMUP="${WRK_WARMUP:-3s}"
ROUNDS="${ROUNDS:-1}"
USRV_LOOPS="${USRV_LOOPS:-8}"
USRV_LOG_LEVEL="${USRV_LOG_LEVEL:-30}"
ADAPTER_PORT="${ADAPTER_PORT:-5093}"
MINIMAL_PORT="${MINIMAL_PORT:-5094}"
BUILTIN_PORT="${BUILTIN_PORT:-5095}"
TARGET="${TARGET:-/test?b=12&a=Paris}"
USRV_STDOUT="${USRV_STDOUT:-/dev/null}"
TARGET_RATIO=0.9


source "$ROOT/bench/http/lib.sh"   # WORK, RUNNING, cleanup on exit, require_tools, build_release, wait_ready, stop
require_tools wrk curl
build_release "$ROOT/Usrv.Host" "$ROOT/bench/http/MinimalApi"
USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"
MINIMAL_DLL="$ROOT/bench/http/MinimalApi/bin/Release/net10.0/MinimalApi.dll"


# CPU time (user + system) used so far by process $1, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# Runs wrk against $1 for $2 and prints its requests per second, then the server's CPU time per request in
# microseconds ($3 is the server's pid): a figure less sensitive than requests per second to other load on the machine.
rps() {
    local out before after
    before="$(cpu_ticks "$3")"
    out="$(wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2" --latency "$1")"
    after="$(cpu_ticks "$3")"
    if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
        echo "   wrk reported errors for $1:" >&2
        grep -E "Non-2xx|Socket errors" <<<"$out" | sed 's/^/   /' >&2
    fi
    awk -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" '
        /^Requests\/sec:/ { rps = $2 }
        / requests in / { n = $1 }
        END { printf "%s %.2f\n", rps, (a - b) * 1e6 / hz / n }' <<<"$out"
}

# The answer without the Date header, to check that the servers send the same bytes.
answer() {
    curl -s -D - --max-time 2 "$1" | tr -d '\r' | grep -v -i '^date:'
}

NAMES=(adapter minimal builtin)
declare -A URL=(
    [adapter]="http://127.0.0.1:$ADAPTER_PORT$TARGET"
    [minimal]="http://127.0.0.1:$MINIMAL_PORT$TARGET"
    [builtin]="http://127.0.0.1:$BUILTIN_PORT$TARGET"
)
declare -A PID SUM CPU

echo "== starting: adapter (usrv --server kestrel -l $USRV_LOG_LEVEL) on :$ADAPTER_PORT, minimal (MinimalApi) on :$MINIMAL_PORT, builtin (usrv -t $USRV_LOOPS -l $USRV_LOG_LEVEL) on :$BUILTIN_PORT"
dotnet "$USRV_DLL" --server kestrel -p "$ADAPTER_PORT" -l "$USRV_LOG_LEVEL" >"$USRV_STDOUT" 2>"$WORK/adapter.err" &
PID[adapter]=$!
RUNNING[${PID[adapter]}]=1
dotnet "$MINIMAL_DLL" "$MINIMAL_PORT" >/dev/null 2>"$WORK/minimal.err" &
PID[minimal]=$!
RUNNING[${PID[minimal]}]=1
dotnet "$USRV_DLL" -p "$BUILTIN_PORT" -t "$USRV_LOOPS" -l "$USRV_LOG_LEVEL" >>"$USRV_STDOUT" 2>"$WORK/builtin.err" &
PID[builtin]=$!
RUNNING[${PID[builtin]}]=1
for name in "${NAMES[@]}"; do
    wait_ready "${URL[$name]}"
    SUM[$name]=0
    CPU[$name]=0
done

reference="$(answer "${URL[minimal]}")"
for name in adapter builtin; do
    if [[ "$(answer "${URL[$name]}")" != "$reference" ]]; then
        echo "   note: $name and minimal do not send the same bytes (headers without Date, then the body; the Minimal API streams its JSON chunked):" >&2
        diff <(answer "${URL[$name]}") <(echo "$reference") | sed 's/^/     /' >&2 || true
    fi
done

echo "== warm-up ($WRK_WARMUP each)"
for name in "${NAMES[@]}"; do
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_WARMUP" "${URL[$name]}" >/dev/null
done

echo "== wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, GET $TARGET, $ROUNDS round(s)"
for round in $(seq "$ROUNDS"); do
    # Each round starts with a different server, so that none always runs first (or last) after a pause.
    line="   round $round:"
    for i in 0 1 2; do
        name="${NAMES[$(( (i + round - 1) % 3 ))]}"
        read -r value cpu < <(rps "${URL[$name]}" "$WRK_DURATION" "${PID[$name]}")
        SUM[$name]="$(awk -v s="${SUM[$name]}" -v x="$value" 'BEGIN { print s + x }')"
        CPU[$name]="$(awk -v s="${CPU[$name]}" -v x="$cpu" 'BEGIN { print s + x }')"
        line+="$(printf '   %s %7.0f req/s %5.1f us' "$name" "$value" "$cpu")"
    done
    echo "$line"
done

for name in "${NAMES[@]}"; do
    stop "${PID[$name]}" "$name" "$WORK/$name.err"
done

mean() { awk -v s="${SUM[$1]}" -v n="$ROUNDS" 'BEGIN { printf "%.0f", s / n }'; }
mean_cpu() { awk -v s="${CPU[$1]}" -v n="$ROUNDS" 'BEGIN { printf "%.1f", s / n }'; }
ratio() { awk -v a="${SUM[$1]}" -v b="${SUM[$2]}" 'BEGIN { printf "%.3f", a / b }'; }
cpu_ratio() { awk -v a="${CPU[$1]}" -v b="${CPU[$2]}" 'BEGIN { printf "%.3f", b / a }'; }  # minimal's CPU per request / this one's
echo "== results (GET $TARGET, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, $ROUNDS round(s), $(nproc) cores; means)"
echo "   (us: the server's CPU time per request, user + system)"
printf '   adapter  usrv --server kestrel -l %-3s %8s req/s %6s us\n' "$USRV_LOG_LEVEL" "$(mean adapter)" "$(mean_cpu adapter)"
printf '   minimal  ASP.NET Core Minimal API     %8s req/s %6s us\n' "$(mean minimal)" "$(mean_cpu minimal)"
printf '   builtin  usrv -t %-2s -l %-3s           %8s req/s %6s us\n' "$USRV_LOOPS" "$USRV_LOG_LEVEL" "$(mean builtin)" "$(mean_cpu builtin)"
adapter_ratio="$(ratio adapter minimal)"
printf '   adapter/minimal %s (requests per second)%s   %s (CPU per request, minimal/adapter)\n' "$adapter_ratio" \
    "$(awk -v r="$adapter_ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t ? "   target " t ": met" : "   below the " t " target") }')" \
    "$(cpu_ratio adapter minimal)"
printf '   builtin/minimal %s (requests per second)   %s (CPU per request, minimal/builtin)\n' "$(ratio builtin minimal)" "$(cpu_ratio builtin minimal)"
