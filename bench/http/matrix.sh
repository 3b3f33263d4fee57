#!/usr/bin/env bash
# HTTP benchmark matrix, run by hand (not a test): requests per second of five kinds of request (rows) on four servers
# (columns), with the same load generator and settings per row, rounds alternating between the servers (each round
# starting with a different one, as run-kestrel.sh does), the server's CPU time per request, and the ratios.
#
# Rows (ROWS picks a subset; "sealed" is both sealed rows):
#   get          GET /test?b=12&a=Paris over HTTP/1.1 (wrk), answered ["Paris","12"]
#   post         POST /order, a 1 KiB JSON body bound to a record Order(Id, Count, Note) (wrk, a Lua script sets the
#                method, the body and Content-Type: application/json), answered {"id":"order-12","count":3}
#   h2           GET /test?b=12&a=Paris over HTTP/2 with TLS (h2load, a self-signed certificate made here by openssl)
#   sealed-post  the POST of the post row sealed with usrv/2, against the same request plain
#   sealed-get   GET /test?b=12&a=Paris sealed with usrv/2, against the same request plain
# Columns:
#   builtin  usrv -t 8 -l 30 MatrixBindings.dll                 usrv's built-in HttpListener host (no HTTP/2: n/a)
#   kestrel  usrv --server kestrel -t 8 -l 30 MatrixBindings.dll   usrv's Kestrel host (the h2 row: a second
#                                                               process with --cert, the PEM made here)
#   mapusrv  bench/http/MapUsrvApp                              an ASP.NET Core app doing app.MapUsrv(router)
#   minimal  bench/http/MinimalApi                              ASP.NET Core Minimal API, MapGet and MapPost (the
#                                                               baseline of the plain rows; no sealed calls: n/a)
# Prints each round, then one table (rows x columns: requests per second with the ratio to minimal for the plain rows
# and sealed/plain on the same server for the sealed rows, target at least 0.5), the servers' CPU time per request
# (user + system, from /proc: less sensitive than requests per second to other load on the machine), the machine
# (cores, CPU model, .NET SDK, load average) and every error seen (Non-2xx answers, socket errors, a batch that ran out).
# The answers are checked with curl first: a note shows where a server's bytes differ from minimal's (headers without
# Date, then the body; the Minimal API sends its JSON chunked, HttpListener adds a Server header).
#
# Sealed rows: bench/Usrv.Client.Bench preseal fetches the server's key (GET /puk) and seals a batch just before each
# round, on every core, one caller key per batch and a distinct nonce per request (one microsecond apart), the nonces
# centred in the server's nonce window (±10 s) on the round to come; wrk replays the batch through a Lua request()
# (record k goes to wrk thread k mod WRK_THREADS, each request is sent once; a thread that has sent its share stops; a
# round whose batch ran out is measured again, once, with a batch twice as large, and reported). A batch holds the
# highest sealed rate seen on that server x DURATION x SEAL_MARGIN requests (the warm-up's batch of SEAL_PROBE gives
# the first rate). The plain figure of a sealed row goes through the same request() path (one plain request
# repeated), so that sealed/plain compares the servers' work, not wrk's. Sealed answers are counted by status (wrk's
# Non-2xx), never opened. A round must fit the nonce window: DURATION at most 18s for the sealed rows. Each wrk thread
# holds its share of a batch in memory (about 1.6 KB a sealed POST).
#
# Needs wrk, curl, and for the h2 row openssl and h2load (Debian: apt-get install -y wrk curl openssl nghttp2-client).
#
#   bash bench/http/matrix.sh
#   ROUNDS=3 bash bench/http/matrix.sh                        # the README figures
#   ROWS="get post" DURATION=5s bash bench/http/matrix.sh
#
# Settings (environment variables, defaults in brackets):
#   ROWS [get post h2 sealed-post sealed-get]
#   WRK_THREADS [2]  WRK_CONNECTIONS [32]  DURATION [10s]  WARMUP [3s]   wrk's -t, -c, -d (whole seconds); WARMUP
#                             once per server and row, before the rounds
#   H2_THREADS [WRK_THREADS]  H2_CONNECTIONS [WRK_CONNECTIONS]  H2_STREAMS [10]   h2load's -t, -c, -m (-D DURATION)
#   ROUNDS [1]                measurements per server and row; the figures are the means
#   USRV_LOOPS [8]            request loops of the built-in host (-t); Kestrel schedules itself
#   USRV_LOG_LEVEL [30]       -l of the usrv servers: 30 logs warnings only, as the ASP.NET Core apps log nothing
#   SEAL_MARGIN [1.5]  SEAL_PROBE [2000 x cores]   sealed batch: expected requests x margin; the warm-up's batch
#   BUILTIN_PORT [5311]  KESTREL_PORT [5312]  KESTREL_TLS_PORT [5313]  MAPUSRV_PORT [5314]  MAPUSRV_TLS_PORT [5315]
#   MINIMAL_PORT [5316]  MINIMAL_TLS_PORT [5317]      all on 127.0.0.1; a port already taken is an error
#   USRV_STDOUT [/dev/null]   where the usrv servers' console log goes
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROWS="${ROWS:-get post h2 sealed-post sealed-get}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-3s}"
H2_THREADS="${H2_THREADS:-$WRK_THREADS}"
H2_CONNECTIONS="${H2_CONNECTIONS:-$WRK_CONNECTIONS}"
H2_STREAMS="${H2_STREAMS:-10}"
ROUNDS="${ROUNDS:-1}"
USRV_LOOPS="${USRV_LOOPS:-8}"
USRV_LOG_LEVEL="${USRV_LOG_LEVEL:-30}"
SEAL_MARGIN="${SEAL_MARGIN:-1.5}"
SEAL_PROBE="${SEAL_PROBE:-$(( 2000 * $(nproc) ))}"
USRV_STDOUT="${USRV_STDOUT:-/dev/null}"
declare -A PORT=(
    [builtin]="${BUILTIN_PORT:-5311}" [kestrel]="${KESTREL_PORT:-5312}" [kestrel-tls]="${KESTREL_TLS_PORT:-5313}"
    [mapusrv]="${MAPUSRV_PORT:-5314}" [mapusrv-tls]="${MAPUSRV_TLS_PORT:-5315}"
    [minimal]="${MINIMAL_PORT:-5316}" [minimal-tls]="${MINIMAL_TLS_PORT:-5317}"
)
GET_TARGET="/test?b=12&a=Paris"
TARGET_SEALED_RATIO=0.5

ALL_ROWS=(get post h2 sealed-post sealed-get)
declare -A WANT=()
for row in $ROWS; do
    case "$row" in
        sealed) WANT[sealed-post]=1; WANT[sealed-get]=1 ;;
        get|post|h2|sealed-post|sealed-get) WANT[$row]=1 ;;
        *) echo "unknown row '$row' in ROWS (rows: ${ALL_ROWS[*]}, or sealed for both sealed rows)" >&2; exit 2 ;;
    esac
done
SELECTED=()
for row in "${ALL_ROWS[@]}"; do [[ -n "${WANT[$row]:-}" ]] && SELECTED+=("$row"); done
[[ ${#SELECTED[@]} -gt 0 ]] || { echo "ROWS selects no row" >&2; exit 2; }

# Seconds in a wrk-style duration (10, 10s, 2m, 1h).
seconds() {
    awk -v d="$1" 'BEGIN { n = d + 0; u = substr(d, length(d)); if (u == "m") n *= 60; else if (u == "h") n *= 3600; print n }'
}
DURATION_S="$(seconds "$DURATION")"
WARMUP_S="$(seconds "$WARMUP")"
if [[ -n "${WANT[sealed-post]:-}${WANT[sealed-get]:-}" ]] && awk -v d="$DURATION_S" 'BEGIN { exit !(d > 18) }'; then
    echo "DURATION=$DURATION is longer than a sealed batch's nonces stay valid (the server's window is ±10 s): at most 18s" \
        "for the sealed rows (or leave them out: ROWS=\"get post h2\")" >&2
    exit 2
fi

source "$ROOT/bench/http/lib.sh"   # WORK, RUNNING, cleanup on exit, require_tools, build_release, wait_ready, stop
require_tools wrk curl
if [[ -n "${WANT[h2]:-}" ]]; then
    require_tools openssl
    if ! command -v h2load >/dev/null; then
        echo "h2load is not installed: install it with 'apt-get install -y nghttp2-client' (Debian package), then run this again" >&2
        exit 1
    fi
fi
build_release "$ROOT/Usrv.Host" "$ROOT/bench/http/MatrixBindings" "$ROOT/bench/http/MapUsrvApp" "$ROOT/bench/http/MinimalApi" \
    "$ROOT/bench/Usrv.Client.Bench"
USRV_DLL="$ROOT/Usrv.Host/bin/Release/net10.0/usrv.dll"
BINDINGS_DLL="$ROOT/bench/http/MatrixBindings/bin/Release/net10.0/MatrixBindings.dll"
MAPUSRV_DLL="$ROOT/bench/http/MapUsrvApp/bin/Release/net10.0/MapUsrvApp.dll"
MINIMAL_DLL="$ROOT/bench/http/MinimalApi/bin/Release/net10.0/MinimalApi.dll"
LOAD_DLL="$ROOT/bench/Usrv.Client.Bench/bin/Release/net10.0/Usrv.Client.Bench.dll"
HZ="$(getconf CLK_TCK)"

# The 1 KiB order: {"id":"order-12","count":3,"note":"abcdefghij" x 100}, and what every server answers to it.
BODY="$WORK/order.json"
printf '{"id":"order-12","count":3,"note":"%s"}' "$(printf 'abcdefghij%.0s' $(seq 100))" >"$BODY"
CONTENT_TYPE="application/json"

# wrk scripts. post.lua: the plain POST (static: wrk formats the request once).
cat >"$WORK/post.lua" <<'EOF'
-- wrk -s post.lua URL -- BODYFILE CONTENT-TYPE: POSTs the file's bytes with that Content-Type
function init(args)
    local f = assert(io.open(args[1], "rb"))
    wrk.body = f:read("*a")
    f:close()
    wrk.method = "POST"
    wrk.headers["Content-Type"] = args[2]
end
EOF
# replay.lua: each thread replays its share of a preseal file (record k goes to thread k mod THREADS), each request
# once, and stops when its share is sent; or one plain request repeated through the same request() path.
cat >"$WORK/replay.lua" <<'EOF'
-- wrk -s replay.lua URL -- sealed FILE THREADS                 the requests of FILE (Usrv.Client.Bench preseal)
-- wrk -s replay.lua URL -- plain METHOD [BODYFILE CONTENT-TYPE]  one plain request, repeated
local threads, made = {}, 0

function setup(thread)               -- in wrk's main thread, once per thread, before that thread's init()
    thread:set("id", made)
    made = made + 1
    threads[#threads + 1] = thread
end

batch, count, sent, exhausted, plain = {}, 0, 0, false, nil

function init(args)
    if args[1] == "plain" then
        local headers, body = {}, nil
        if args[3] then
            local f = assert(io.open(args[3], "rb"))
            body = f:read("*a")
            f:close()
            headers["Content-Type"] = args[4]
        end
        plain = wrk.format(args[2], wrk.path, headers, body)
        return
    end
    -- "usrv-preseal/1 COUNT", then per request a line with its length and its bytes
    local f = assert(io.open(args[2], "rb"))
    local total = tonumber(string.match(f:read("*l"), "^usrv%-preseal/1 (%d+)$"))
    local share = tonumber(args[3])
    for k = 0, total - 1 do
        local length = tonumber(f:read("*l"))
        if k % share == id then
            count = count + 1
            batch[count] = f:read(length)
        else
            f:seek("cur", length)
        end
    end
    f:close()
end

function request()
    if plain then return plain end
    sent = sent + 1
    local r = batch[sent]
    if r then return r end
    sent = count                     -- this thread's share is sent: never send a request twice
    if not exhausted then
        exhausted = true
        wrk.thread:stop()
    end
    return ""
end

function done(summary, latency, requests)
    if threads[1]:get("plain") then return end
    local used, total, out = 0, 0, 0
    for _, t in ipairs(threads) do
        used = used + t:get("sent")
        total = total + t:get("count")
        if t:get("exhausted") then out = out + 1 end
    end
    io.write(string.format("replay: %d of %d requests taken, %d of %d threads ran out, %.0f req/s while running\n",
        used, total, out, #threads, requests.mean * #threads))
end
EOF

CERT="$WORK/server.pem"   # certificate and private key in one PEM file (KestrelHost.LoadCertificate, the two apps)
if [[ -n "${WANT[h2]:-}" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>"$WORK/openssl.err" \
        || { cat "$WORK/openssl.err" >&2; exit 1; }
    cat "$WORK/cert.pem" "$WORK/key.pem" >"$CERT"
fi

# The servers each row needs, and the process that serves a column (kestrel's TLS column is a process of its own).
declare -A ROW_SERVERS=(
    [get]="builtin kestrel mapusrv minimal" [post]="builtin kestrel mapusrv minimal" [h2]="kestrel mapusrv minimal"
    [sealed-post]="builtin kestrel mapusrv" [sealed-get]="builtin kestrel mapusrv"
)
declare -A ROW_TITLE=(
    [get]="GET $GET_TARGET, HTTP/1.1 (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION)"
    [post]="POST /order, $(wc -c <"$BODY") bytes of JSON bound to a record (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION)"
    [h2]="GET $GET_TARGET, HTTP/2 over TLS (h2load -t$H2_THREADS -c$H2_CONNECTIONS -m$H2_STREAMS -D $DURATION_S)"
    [sealed-post]="POST /order sealed (usrv/2) vs plain, both replayed by wrk's request() (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION)"
    [sealed-get]="GET $GET_TARGET sealed (usrv/2) vs plain, both replayed by wrk's request() (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION)"
)
declare -A ROW_LABEL=(
    [get]="get   GET HTTP/1.1" [post]="post  POST 1 KiB" [h2]="h2    GET HTTP/2+TLS"
    [sealed-post]="sealed-post" [sealed-get]="sealed-get"
)
NAMES=(builtin kestrel mapusrv minimal)
declare -A PID=()       # process of each column, plain; PID[NAME-tls]: the TLS one
need_tls=""; [[ -n "${WANT[h2]:-}" ]] && need_tls=1
declare -A NEEDED=()
for row in "${SELECTED[@]}"; do for name in ${ROW_SERVERS[$row]}; do NEEDED[$name]=1; done; done

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts server $1 (a key of PORT) with the command $2...; the port must be free (else another process would answer).
start() {
    local name="$1"; shift
    if ! port_free "${PORT[$name]}"; then
        echo "port ${PORT[$name]} ($name) is taken by another process: set $(port_variable "$name") to a free port" >&2
        exit 1
    fi
    "$@" >>"$USRV_STDOUT" 2>"$WORK/${name%-tls}.err" &
    PID[$name]=$!
    RUNNING[${PID[$name]}]=1
}
port_variable() { local v="${1/-tls/_TLS}"; echo "${v^^}_PORT"; }
# Waits until column process $1 answers $2 (through TLS with the certificate made here), and checks it is still alive.
ready() {
    local ok=1
    if [[ "$1" == *-tls ]]; then CURL_CA_BUNDLE="$CERT" wait_ready "$2" || ok=0; else wait_ready "$2" || ok=0; fi
    if [[ "$ok" == 0 ]] || ! kill -0 "${PID[$1]}" 2>/dev/null; then
        echo "$1 did not start; its standard error:" >&2
        head -n 20 "$WORK/${1%-tls}.err" >&2
        exit 1
    fi
}

echo "== starting: ${!NEEDED[*]}${need_tls:+ (and TLS ports for h2)} on 127.0.0.1"
usrv_args=(-l "$USRV_LOG_LEVEL" -t "$USRV_LOOPS")
if [[ -n "${NEEDED[builtin]:-}" ]]; then
    start builtin dotnet "$USRV_DLL" -p "${PORT[builtin]}" "${usrv_args[@]}" "$BINDINGS_DLL"
fi
if [[ -n "${NEEDED[kestrel]:-}" ]]; then
    if [[ -n "${WANT[get]:-}${WANT[post]:-}${WANT[sealed-post]:-}${WANT[sealed-get]:-}" ]]; then
        start kestrel dotnet "$USRV_DLL" --server kestrel -p "${PORT[kestrel]}" "${usrv_args[@]}" "$BINDINGS_DLL"
    fi
    if [[ -n "$need_tls" ]]; then
        start kestrel-tls dotnet "$USRV_DLL" --server kestrel --cert "$CERT" -p "${PORT[kestrel-tls]}" "${usrv_args[@]}" "$BINDINGS_DLL"
    fi
fi
for app in mapusrv minimal; do
    [[ -n "${NEEDED[$app]:-}" ]] || continue
    dll="$MAPUSRV_DLL"; [[ "$app" == minimal ]] && dll="$MINIMAL_DLL"
    args=("${PORT[$app]}")
    if [[ -n "$need_tls" ]]; then
        if ! port_free "${PORT[$app-tls]}"; then
            echo "port ${PORT[$app-tls]} ($app-tls) is taken by another process: set $(port_variable "$app-tls") to a free port" >&2
            exit 1
        fi
        args+=("${PORT[$app-tls]}" "$CERT")
    fi
    start "$app" dotnet "$dll" "${args[@]}"
    [[ -n "$need_tls" ]] && PID[$app-tls]="${PID[$app]}"
done
for name in "${!PID[@]}"; do
    case "$name" in
        *-tls) ready "$name" "https://127.0.0.1:${PORT[$name]}$GET_TARGET" ;;
        *) ready "$name" "http://127.0.0.1:${PORT[$name]}$GET_TARGET" ;;
    esac
done

# The URL of column $2 for row $1, and the process that serves it.
url() {
    case "$1" in
        h2) echo "https://127.0.0.1:${PORT[$2-tls]}" ;;
        *) echo "http://127.0.0.1:${PORT[$2]}" ;;
    esac
}
pid_of() { if [[ "$1" == h2 ]]; then echo "${PID[$2-tls]}"; else echo "${PID[$2]}"; fi; }

# CPU time (user + system) used so far by process $1, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# The answer without the Date header, to check that the servers send the same bytes (row $1, column $2).
answer() {
    local base; base="$(url "$1" "$2")"
    case "$1" in
        get) curl -s -D - --max-time 2 "$base$GET_TARGET" ;;
        post) curl -s -D - --max-time 2 -H "Content-Type: $CONTENT_TYPE" --data-binary "@$BODY" "$base/order" ;;
        h2) curl -s -D - --max-time 2 --http2 --cacert "$CERT" "$base$GET_TARGET" ;;
    esac | tr -d '\r' | grep -v -i '^date:'
}

# One measurement; sets RPS, CPU (the server's CPU time per request, microseconds), N (requests), NOTE, and for a
# replayed batch TAKEN, RANOUT and RUNNING_RATE.
#   measure_wrk URL PID SECONDS [-s SCRIPT] [-- SCRIPT ARGS...]
measure_wrk() {
    local url="$1" pid="$2" secs="$3" before after out="$WORK/load.out"; shift 3
    local options=() rest=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do options+=("$1"); shift; done
    [[ $# -gt 0 ]] && rest=("$@")
    before="$(cpu_ticks "$pid")"
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${secs}s" "${options[@]}" "$url" "${rest[@]}" >"$out" 2>&1 \
        || { echo "wrk failed:" >&2; cat "$out" >&2; exit 1; }
    after="$(cpu_ticks "$pid")"
    read -r RPS N < <(awk '/^Requests\/sec:/ { r = $2 } / requests in / { n = $1 } END { print r + 0, n + 0 }' "$out")
    CPU="$(awk -v b="$before" -v a="$after" -v hz="$HZ" -v n="$N" 'BEGIN { printf "%.1f", n ? (a - b) * 1e6 / hz / n : 0 }')"
    NOTE="$(grep -E "Non-2xx|Socket errors" "$out" | sed 's/^ *//' | paste -sd ';' - || true)"
    TAKEN=0 RANOUT=0 RUNNING_RATE=0
    if grep -q '^replay:' "$out"; then
        read -r TAKEN RANOUT RUNNING_RATE < <(awk '/^replay:/ { print $2, $7, $13 }' "$out")
    fi
}
#   measure_h2 URL PID SECONDS
measure_h2() {
    local url="$1" pid="$2" secs="$3" before after out="$WORK/load.out"
    before="$(cpu_ticks "$pid")"
    h2load -t"$H2_THREADS" -c"$H2_CONNECTIONS" -m"$H2_STREAMS" -D "$secs" "$url" >"$out" 2>&1 \
        || { echo "h2load failed:" >&2; tail -n 20 "$out" >&2; exit 1; }
    after="$(cpu_ticks "$pid")"
    read -r RPS N < <(awk '/^finished in/ { r = $4 } /^requests:/ { n = $8 } END { print r + 0, n + 0 }' "$out")
    CPU="$(awk -v b="$before" -v a="$after" -v hz="$HZ" -v n="$N" 'BEGIN { printf "%.1f", n ? (a - b) * 1e6 / hz / n : 0 }')"
    NOTE="$(awk '/^requests:/ && ($10 + $12 + $14) > 0 { print "h2load: " $10 " failed, " $12 " errored, " $14 " timeout" }
                 /^status codes:/ && ($5 + $7 + $9) > 0 { print "h2load: not 2xx: " $5 " 3xx, " $7 " 4xx, " $9 " 5xx" }' "$out" \
        | paste -sd ';' -)"
}

# Seals COUNT ($4) requests of row $1 for column $2 into FILE ($3), for a round of $5 seconds that starts right after.
preseal() {
    local row="$1" name="$2" file="$3" count="$4" secs="$5" base
    base="$(url "$row" "$name")"
    if [[ "$row" == sealed-post ]]; then
        dotnet "$LOAD_DLL" preseal "$base" POST /order "$BODY" "$count" "$file" --round "$secs" \
            --content-type "$CONTENT_TYPE" >"$WORK/preseal.out" 2>"$WORK/preseal.err" || { cat "$WORK/preseal.err" >&2; exit 1; }
    else
        dotnet "$LOAD_DLL" preseal "$base" GET "$GET_TARGET" "$count" "$file" --round "$secs" \
            >"$WORK/preseal.out" 2>"$WORK/preseal.err" || { cat "$WORK/preseal.err" >&2; exit 1; }
    fi
    SEAL_WARNING="$(paste -sd ';' "$WORK/preseal.err")"   # e.g. the round would leave the nonces' window
}

declare -A SEAL_RATE=()   # the highest sealed rate seen per row and column, for the batch size
batch_size() {   # $1 row, $2 column: requests for one round
    awk -v r="${SEAL_RATE[$1/$2]:-0}" -v d="$DURATION_S" -v m="$SEAL_MARGIN" -v t="$WRK_THREADS" -v c="$WRK_CONNECTIONS" \
        'BEGIN { n = int(r * d * m) + 1; if (n < 1000) n = 1000; if (n < 4 * c) n = 4 * c; print n }'
}
note_rate() {    # keeps the highest rate while running seen for row $1, column $2
    SEAL_RATE[$1/$2]="$(awk -v a="${SEAL_RATE[$1/$2]:-0}" -v b="$RUNNING_RATE" -v c="$RPS" \
        'BEGIN { m = a; if (b > m) m = b; if (c > m) m = c; print m }')"
}

# A sealed round of row $1 on column $2 ($3: seconds); measured again, once, with a batch twice as large when the batch
# ran out (the figure would be low: wrk divides by the whole round).
sealed_batch() {   # row $1, column $2: seal $4 requests into file $3 and replay them for $5 seconds
    local row="$1" name="$2" file="$3" count="$4" secs="$5"
    preseal "$row" "$name" "$file" "$count" "$secs"
    measure_wrk "$(url "$row" "$name")$( [[ "$row" == sealed-post ]] && echo /order || echo "$GET_TARGET")" \
        "$(pid_of "$row" "$name")" "$secs" -s "$WORK/replay.lua" -- sealed "$file" "$WRK_THREADS"
    rm -f "$file"
    note_rate "$row" "$name"
    NOTE="${NOTE}${SEAL_WARNING:+${NOTE:+; }$SEAL_WARNING}"
}
sealed_round() {
    local row="$1" name="$2" secs="$3" file="$WORK/sealed.batch" count attempt retried=""
    count="$(batch_size "$row" "$name")"
    for attempt in 1 2; do
        sealed_batch "$row" "$name" "$file" "$count" "$secs"
        if [[ "$RANOUT" == 0 ]]; then break; fi
        if [[ "$attempt" == 1 ]]; then
            echo "   $name: the batch of $count ran out ($RUNNING_RATE req/s while running); again with $(( count * 2 ))" >&2
            retried="the batch of $count ran out, measured again with $(( count * 2 ))"
        else
            NOTE="${NOTE:+$NOTE; }the batch of $count ran out in $RANOUT thread(s): the figure is low (wrk divides by the whole round)"
        fi
        count=$(( count * 2 ))
    done
    if [[ -n "$retried" ]]; then NOTE="${NOTE:+$NOTE; }$retried"; fi
}
plain_replay() {   # the plain figure of a sealed row: the same request, repeated, through replay.lua's request()
    local row="$1" name="$2" secs="$3"
    if [[ "$row" == sealed-post ]]; then
        measure_wrk "$(url "$row" "$name")/order" "$(pid_of "$row" "$name")" "$secs" -s "$WORK/replay.lua" -- \
            plain POST "$BODY" "$CONTENT_TYPE"
    else
        measure_wrk "$(url "$row" "$name")$GET_TARGET" "$(pid_of "$row" "$name")" "$secs" -s "$WORK/replay.lua" -- plain GET
    fi
}
plain_round() {   # row $1, column $2, $3 seconds
    case "$1" in
        get) measure_wrk "$(url get "$2")$GET_TARGET" "$(pid_of get "$2")" "$3" ;;
        post) measure_wrk "$(url post "$2")/order" "$(pid_of post "$2")" "$3" -s "$WORK/post.lua" -- "$BODY" "$CONTENT_TYPE" ;;
        h2) measure_h2 "$(url h2 "$2")$GET_TARGET" "$(pid_of h2 "$2")" "$3" ;;
    esac
}

declare -A SUM=() CPUSUM=() PSUM=() PCPUSUM=() NOTES=()
add() { awk -v s="${1:-0}" -v x="$2" 'BEGIN { print s + x }'; }
tally() {   # adds the last measurement's RPS and CPU to the sums named $1 and $2, at key $3
    local -n rps_sums="$1" cpu_sums="$2"
    rps_sums[$3]="$(add "${rps_sums[$3]:-0}" "$RPS")"
    cpu_sums[$3]="$(add "${cpu_sums[$3]:-0}" "$CPU")"
}
keep_note() {   # $1 key, $2 text
    [[ -z "$2" ]] && return 0
    NOTES[$1]="${NOTES[$1]:+${NOTES[$1]}; }$2"
    echo "     ($1: $2)" >&2
}

echo "== machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), .NET SDK $(dotnet --version)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for row in "${SELECTED[@]}"; do
    read -r -a servers <<<"${ROW_SERVERS[$row]}"
    echo "== $row: ${ROW_TITLE[$row]}"
    if [[ "$row" == h2 ]]; then echo "   builtin: n/a (HttpListener has no HTTP/2)"; fi
    if [[ "$row" == sealed-* ]]; then echo "   minimal: n/a (the Minimal API has no sealed calls)"; fi
    case "$row" in
        get|post|h2)
            reference="$(answer "$row" minimal)"
            for name in "${servers[@]}"; do
                [[ "$name" == minimal ]] && continue
                if [[ "$(answer "$row" "$name")" != "$reference" ]]; then
                    echo "   note: $name and minimal do not send the same bytes (headers without Date, then the body):" >&2
                    diff <(answer "$row" "$name") <(echo "$reference") | sed 's/^/     /' >&2 || true
                fi
            done
            echo "   warm-up ($WARMUP each)"
            for name in "${servers[@]}"; do plain_round "$row" "$name" "$WARMUP_S"; keep_note "$row/$name warm-up" "$NOTE"; done
            ;;
        sealed-*)
            echo "   warm-up ($WARMUP each, plain then sealed with a batch of $SEAL_PROBE)"
            for name in "${servers[@]}"; do
                plain_replay "$row" "$name" "$WARMUP_S"
                keep_note "$row/$name warm-up" "$NOTE"
                sealed_batch "$row" "$name" "$WORK/sealed.batch" "$SEAL_PROBE" "$WARMUP_S"
                keep_note "$row/$name warm-up" "$NOTE"
            done
            ;;
    esac
    count="${#servers[@]}"
    for round in $(seq "$ROUNDS"); do
        line="   round $round:"
        for i in $(seq 0 $(( count - 1 ))); do
            name="${servers[$(( (i + round - 1) % count ))]}"
            case "$row" in
                sealed-*)
                    # plain and sealed back to back, the first of the two alternating with the rounds
                    for part in $( (( round % 2 )) && echo "plain sealed" || echo "sealed plain"); do
                        if [[ "$part" == plain ]]; then
                            plain_replay "$row" "$name" "$DURATION_S"
                            tally PSUM PCPUSUM "$row/$name"
                            plain_rps="$RPS" plain_cpu="$CPU"
                            keep_note "$row/$name plain" "$NOTE"
                        else
                            sealed_round "$row" "$name" "$DURATION_S"
                            tally SUM CPUSUM "$row/$name"
                            sealed_rps="$RPS" sealed_cpu="$CPU"
                            keep_note "$row/$name sealed" "$NOTE"
                        fi
                    done
                    line+="$(printf '   %s %.0f/%.0f req/s %.1f/%.1f us' "$name" "$sealed_rps" "$plain_rps" "$sealed_cpu" "$plain_cpu")"
                    ;;
                *)
                    plain_round "$row" "$name" "$DURATION_S"
                    tally SUM CPUSUM "$row/$name"
                    keep_note "$row/$name" "$NOTE"
                    line+="$(printf '   %s %.0f req/s %.1f us' "$name" "$RPS" "$CPU")"
                    ;;
            esac
        done
        [[ "$row" == sealed-* ]] && line+="   (sealed/plain)"
        echo "$line"
    done
done

for name in "${!PID[@]}"; do
    [[ "$name" == mapusrv-tls || "$name" == minimal-tls ]] && continue
    stop "${PID[$name]}" "$name" "$WORK/$name.err"
done

mean() { awk -v s="$1" -v n="$ROUNDS" 'BEGIN { printf "%.0f", s / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'; }
serves() { [[ " ${ROW_SERVERS[$1]} " == *" $2 "* ]]; }   # row $1 has column $2
# One line of a table: the row label, then one cell per column ($2: a function of row and column printing the cell).
table_line() {
    local row="$1" cell_of="$2" name line
    line="$(printf '   %-22s' "${ROW_LABEL[$row]}")"
    for name in "${NAMES[@]}"; do line+="$(printf '%-18s' "$("$cell_of" "$row" "$name")")"; done
    echo "${line%"${line##*[! ]}"}"
}
rps_cell() {
    if ! serves "$1" "$2"; then [[ "$1" == h2 ]] && echo "n/a [1]" || echo "n/a [2]"
    elif [[ "$1" == sealed-* ]]; then echo "$(mean "${SUM[$1/$2]}") ($(ratio "${SUM[$1/$2]}" "${PSUM[$1/$2]}"))"
    elif [[ "$2" == minimal ]]; then echo "$(mean "${SUM[$1/$2]}") (1)"
    else echo "$(mean "${SUM[$1/$2]}") ($(ratio "${SUM[$1/$2]}" "${SUM[$1/minimal]}"))"
    fi
}
cpu_cell() {
    if ! serves "$1" "$2"; then echo "n/a"
    elif [[ "$1" == sealed-* ]]; then
        awk -v a="${CPUSUM[$1/$2]}" -v b="${PCPUSUM[$1/$2]}" -v n="$ROUNDS" 'BEGIN { printf "%.1f / %.1f", a / n, b / n }'
    else awk -v a="${CPUSUM[$1/$2]}" -v n="$ROUNDS" 'BEGIN { printf "%.1f", a / n }'
    fi
}
plain_cell() { if serves "$1" "$2"; then mean "${PSUM[$1/$2]}"; else echo "n/a [2]"; fi; }
header="$(printf '   %-22s' "row")$(printf '%-18s' "${NAMES[@]}")"

echo "== results: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), .NET SDK $(dotnet --version);" \
    "means of $ROUNDS round(s) of $DURATION; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   requests per second; in brackets: the ratio to minimal (plain rows), sealed/plain on the same server (sealed rows)"
echo "${header%"${header##*[! ]}"}"
for row in "${SELECTED[@]}"; do table_line "$row" rps_cell; done
echo "   server CPU time per request, microseconds (user + system; sealed rows: sealed / plain)"
for row in "${SELECTED[@]}"; do table_line "$row" cpu_cell; done
sealed_rows=()
for row in sealed-post sealed-get; do [[ -n "${WANT[$row]:-}" ]] && sealed_rows+=("$row"); done
if [[ ${#sealed_rows[@]} -gt 0 ]]; then
    echo "   the sealed rows' plain figure, requests per second (the same request unsealed, through the same request() path)"
    for row in "${sealed_rows[@]}"; do table_line "$row" plain_cell; done
    for row in "${sealed_rows[@]}"; do
        line="   $row sealed/plain, target $TARGET_SEALED_RATIO:"
        for name in ${ROW_SERVERS[$row]}; do
            line+=" $name $(awk -v a="${SUM[$row/$name]}" -v b="${PSUM[$row/$name]}" -v t="$TARGET_SEALED_RATIO" \
                'BEGIN { print (b && a / b >= t ? "met" : "below") }')"
        done
        echo "$line"
    done
fi
if [[ -n "${WANT[h2]:-}" ]]; then echo "   [1] n/a (HttpListener has no HTTP/2)"; fi
if [[ ${#sealed_rows[@]} -gt 0 ]]; then echo "   [2] n/a (the Minimal API has no sealed calls)"; fi
if [[ ${#NOTES[@]} -gt 0 ]]; then
    echo "   errors and notes during the run (a batch measured again is not an error):"
    for key in "${!NOTES[@]}"; do echo "     $key: ${NOTES[$key]}"; done | sort
else
    echo "   no errors: every answer 2xx, no socket errors, no batch ran out"
fi
