#!/usr/bin/env bash
# Measurement, run by hand (not a test): how long a normal request takes while N slow uploads are open (each declares
# Content-Length: 100000 and sends 10 bytes, then waits), on the built-in host and on Kestrel. Target: under 1 s.
#
#   bash bench/http/slow-uploads.sh            # N=200
#   SLOW=500 bash bench/http/slow-uploads.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SLOW="${SLOW:-200}"
PORT="${PORT:-5097}"
source "$ROOT/bench/http/lib.sh"
build_release "$ROOT/Usrv.Host"
USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"

for server in listener kestrel; do
    dotnet "$USRV_DLL" -p "$PORT" -l 30 --server "$server" >"$WORK/$server.out" 2>"$WORK/$server.err" &
    pid=$!
    RUNNING[$pid]=1
    wait_ready "http://127.0.0.1:$PORT/test"
    python3 - "$PORT" "$SLOW" "$server" <<'PY'
import socket, sys, time, urllib.request
port, count, server = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /kwargs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n0123456789")
    held.append(s)
time.sleep(0.5)
started = time.monotonic()
try:
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/test?b=12&a=Paris", timeout=60).read().decode()
except Exception as e:
    body = f"no answer: {e}"
elapsed = time.monotonic() - started
print(f"   {server:8s} {count} slow uploads open: a normal request took {elapsed * 1000:.0f} ms ({body})")
for s in held: s.close()
PY
    stop "$pid" "$server" "$WORK/$server.err"
done
