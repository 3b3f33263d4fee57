#!/usr/bin/env bash
# Sealed (usrv/2) against plain requests per second, run by hand (not a test): on usrv's built-in host and on
# usrv --server kestrel, the same load client (bench/Usrv.Client.Bench sealed-load), the same connections and
# request, plain and sealed rounds alternating. Sealed requests are sealed before each round (so the client's
# crypto does not cap the server) and counted by status. Target (issue 9): sealed >= 0.5x plain on the same host.
# Settings (environment): SECONDS_PER_ROUND [3], CONNECTIONS [16], ROUNDS [3], USRV_LOOPS [8]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/bench/http/lib.sh"
SECONDS_PER_ROUND="${SECONDS_PER_ROUND:-3}" CONNECTIONS="${CONNECTIONS:-16}" ROUNDS="${ROUNDS:-3}" USRV_LOOPS="${USRV_LOOPS:-8}"
build_release "$ROOT/Usrv.Host" "$ROOT/bench/Usrv.Client.Bench"
USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"
LOAD_DLL="$ROOT/bench/Usrv.Client.Bench/bin/Release/net10.0/Usrv.Client.Bench.dll"
PORT=5187
for server in builtin kestrel; do
    args=(-p "$PORT" -t "$USRV_LOOPS" -l 30)
    [[ "$server" == kestrel ]] && args+=(--server kestrel)
    dotnet "$USRV_DLL" "${args[@]}" >/dev/null 2>"$WORK/usrv-$server.err" &
    pid=$!
    RUNNING[$pid]=1
    wait_ready "http://127.0.0.1:$PORT/puk"
    echo "== usrv $server"
    dotnet "$LOAD_DLL" sealed-load "http://127.0.0.1:$PORT" "$SECONDS_PER_ROUND" "$CONNECTIONS" "$ROUNDS"
    stop "$pid" "usrv $server" "$WORK/usrv-$server.err"
done
