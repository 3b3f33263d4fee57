#!/usr/bin/env bash
# Start-up benchmark, run by hand (not a test): time from process start to the first answer of GET /test?b=12&a=Paris,
# and idle RSS, Release builds, in one run with rounds alternating:
#   builtin   usrv -l 30                     usrv's built-in HttpListener host, usrv's demo bindings
#   kestrel   usrv --server kestrel -l 30    the same on Kestrel
#   minimal   bench/http/MinimalApi          WebApplication.CreateSlimBuilder, one MapGet (the baseline)
# Prints each start, the medians and the ratios to the Minimal API (target: <= 1.00 for time and RSS).
#
#   bash bench/startup/run.sh
#   ROUNDS=10 bash bench/startup/run.sh
#   R2R=1 bash bench/startup/run.sh    # usrv published with ReadyToRun (needs the Crossgen2 package from NuGet)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${ROUNDS:-6}"
source "$ROOT/bench/http/lib.sh"   # WORK, cleanup on exit, build_release

build_release "$ROOT/bench/http/MinimalApi"
if [[ "${R2R:-0}" == 1 ]]; then
    echo "== publishing usrv with ReadyToRun"
    dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
        -o "$WORK/usrv" "$ROOT/Usrv.Host" -nologo >"$WORK/publish.log" 2>&1 || { tail -n 20 "$WORK/publish.log" >&2; exit 1; }
    USRV_DLL="$WORK/usrv/usrv.dll"
else
    build_release "$ROOT/Usrv.Host"
    USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"
fi
MINIMAL_DLL="$ROOT/bench/http/MinimalApi/bin/Release/net10.0/MinimalApi.dll"

echo "== $ROUNDS rounds"
python3 "$ROOT/bench/startup/startup.py" "$ROUNDS" \
    "builtin=5195=dotnet $USRV_DLL -l 30 -p 5195" \
    "kestrel=5196=dotnet $USRV_DLL -l 30 -p 5196 --server kestrel" \
    "minimal=5197=dotnet $MINIMAL_DLL 5197"
