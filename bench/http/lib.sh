# Shared by run.sh and run-kestrel.sh (sourced, not run): a work folder, the servers started, and helpers.
# Needs ROOT set by the caller.

WORK="$(mktemp -d)"
declare -A RUNNING=()  # pids of the servers this script started and has not stopped yet
cleanup() {
    for pid in "${!RUNNING[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Exits with a hint when one of the commands named ($@) is missing (each is a Debian package of the same name).
require_tools() {
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null; then
            echo "$tool is not installed: install it with 'apt-get install -y $tool' (Debian package), then run this again" >&2
            exit 1
        fi
    done
}

build_release() {
    echo "== building (Release)"
    for project in "$@"; do
        if ! dotnet build -c Release "$project" -nologo >"$WORK/build.log" 2>&1; then
            grep -E "error" "$WORK/build.log" >&2 || cat "$WORK/build.log" >&2
            echo "build of $project failed" >&2
            exit 1
        fi
    done
}

# Waits (at most 20 s) until GET $1 answers 200.
wait_ready() {
    for _ in $(seq 200); do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true)" == 200 ]]; then return 0; fi
        sleep 0.1
    done
    echo "no answer from $1 within 20 s" >&2
    return 1
}

# Stops the server $1 (a pid this script started) with SIGTERM, waits for it (at most 15 s), and warns when it
# does not exit with 0 ($2 names it, $3 is the file with its standard error).
stop() {
    local pid="$1" code=0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "   $2 did not stop within 15 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || code=$?
    unset "RUNNING[$pid]"
    if [[ "$code" != 0 ]]; then
        echo "   warning: $2 exited with $code after SIGTERM; its standard error:" >&2
        head -n 8 "$3" | sed 's/^/     /' >&2
    fi
}
