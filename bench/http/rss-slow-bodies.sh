#!/usr/bin/env bash
# Memory benchmark, run by hand (not a test): the resident memory (RSS) of usrv while many clients each declare a body
# within the limit and send almost none of it (issue 12: body buffers must grow with the bytes that arrive, not with the
# declared Content-Length). For each host in turn:
#   kestrel   usrv --server kestrel
#   builtin   usrv -t USRV_LOOPS (as many request loops as connections, so that every body is being read at once)
# it warms the server up, reads its RSS (/proc/PID/status), opens CONNECTIONS connections that each send
# "POST /kwargs" with Content-Length: DECLARED and SENT bytes of body, holds them for HOLD seconds while sampling the
# RSS, then closes them; ROUNDS times (memory the runtime takes back from a round is touched again in the next, where
# fresh pages of a first round may not be resident yet). Prints the RSS before, the peak while held, and the growth
# (target: below TARGET_MB).
#
#   bash bench/http/rss-slow-bodies.sh
#   CONNECTIONS=500 HOLD=5 bash bench/http/rss-slow-bodies.sh
#
# Settings (environment variables, defaults in brackets):
#   CONNECTIONS [250]  DECLARED [10485760: 10 MiB, usrv's default limit]  SENT [1]  HOLD [2]  ROUNDS [3]
#   GC_SERVER [1]      DOTNET_gcServer of the servers: 1 for the server GC, as ASP.NET Core applications run (the Web
#                      SDK's default), which commits what it allocates; 0 for the workstation GC of the usrv program,
#                      whose fresh pages stay out of the RSS until touched (a pre-sized buffer shows less there)
#   USRV_LOOPS [256]   KESTREL_PORT [5096]  BUILTIN_PORT [5097]  TARGET_MB [150]
#   USRV_DLL [Usrv.Host/bin/Release/net10.0/usrv.dll, built first]; set it to measure another build (none is built then)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONNECTIONS="${CONNECTIONS:-250}"
DECLARED="${DECLARED:-10485760}"
SENT="${SENT:-1}"
HOLD="${HOLD:-2}"
ROUNDS="${ROUNDS:-3}"
USRV_LOOPS="${USRV_LOOPS:-256}"
KESTREL_PORT="${KESTREL_PORT:-5096}"
BUILTIN_PORT="${BUILTIN_PORT:-5097}"
TARGET_MB="${TARGET_MB:-150}"
export DOTNET_gcServer="${GC_SERVER:-1}"

for tool in python3 curl; do
    if ! command -v "$tool" >/dev/null; then
        echo "$tool is not installed: install it (Debian package $tool), then run this again" >&2
        exit 1
    fi
done
if (( $(ulimit -n) < CONNECTIONS + 64 )); then ulimit -n $((CONNECTIONS + 64)) 2>/dev/null || true; fi

source "$ROOT/bench/http/lib.sh"   # WORK, RUNNING, cleanup on exit, build_release, wait_ready, stop
if [[ -z "${USRV_DLL:-}" ]]; then
    build_release "$ROOT/Usrv.Host"
    USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"
fi

# Holds the slow bodies open and samples the server's RSS: prints "before peak after" in KiB.
cat >"$WORK/slow_bodies.py" <<'EOF'
import socket, sys, time

pid, port, connections, declared, sent, hold, rounds = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:8])

def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

time.sleep(1)
before = rss_kib()
head = (f"POST /kwargs HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Length: {declared}\r\n\r\n").encode() + b"x" * sent
peak = before
for _ in range(rounds):
    held = []
    for _ in range(connections):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(head)
        held.append(s)
    deadline = time.time() + hold
    while time.time() < deadline:
        peak = max(peak, rss_kib())
        time.sleep(0.1)
    for s in held:
        s.close()
    time.sleep(0.5)
print(before, peak, rss_kib())
EOF

declare -A PORT=([kestrel]="$KESTREL_PORT" [builtin]="$BUILTIN_PORT")
declare -A ARGS=([kestrel]="--server kestrel" [builtin]="-t $USRV_LOOPS")
declare -A GROWTH
for name in kestrel builtin; do
    # shellcheck disable=SC2086 # ARGS holds several words
    dotnet "$USRV_DLL" ${ARGS[$name]} -p "${PORT[$name]}" -l 40 >/dev/null 2>"$WORK/$name.err" &
    pid=$!
    RUNNING[$pid]=1
    wait_ready "http://127.0.0.1:${PORT[$name]}/test?b=12&a=Paris"
    for _ in $(seq 200); do   # warm-up: the routes and the body path jitted
        curl -s -o /dev/null --max-time 2 -H 'Content-Type: text/plain' --data-binary 'warm' "http://127.0.0.1:${PORT[$name]}/kwargs"
    done
    read -r before peak after < <(python3 "$WORK/slow_bodies.py" "$pid" "${PORT[$name]}" "$CONNECTIONS" "$DECLARED" "$SENT" "$HOLD" "$ROUNDS")
    GROWTH[$name]=$(( (peak - before) / 1024 ))
    printf '   %-8s RSS before %5d MB, peak while held %5d MB, after %5d MB: growth %5d MB\n' \
        "$name" $((before / 1024)) $((peak / 1024)) $((after / 1024)) "${GROWTH[$name]}"
    stop "$pid" "$name" "$WORK/$name.err"
done

echo "== $CONNECTIONS connections, each declaring $DECLARED bytes and sending $SENT, held $HOLD s, $ROUNDS rounds, DOTNET_gcServer=$DOTNET_gcServer ($(nproc) cores)"
for name in kestrel builtin; do
    printf '   %-8s growth %5d MB: %s\n' "$name" "${GROWTH[$name]}" \
        "$( (( GROWTH[$name] < TARGET_MB )) && echo "below the $TARGET_MB MB target" || echo "OVER the $TARGET_MB MB target")"
done
