#!/usr/bin/env bash
# Lists the lines of production C# files that are longer than the house limit (140 characters; .editorconfig,
# max_line_length), as the build's USRV0001 check counts them: characters (code points), not bytes.
#
#   tools/long-lines.sh                  every production project (not tests/, bench/, obj/, bin/)
#   tools/long-lines.sh Usrv.Route       only these folders (tests/ and bench/ are allowed when named)
#   tools/long-lines.sh -c               one count per folder instead of the lines
#   tools/long-lines.sh -n 120 ...       another limit
#
# Output: path:line: N characters. Exits 1 when a line is too long, 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=140
count=false
while getopts "cn:h" opt; do
    case "$opt" in
        c) count=true ;;
        n) limit=$OPTARG ;;
        *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

# Characters, not bytes: grep and bash count them in a UTF-8 locale.
for locale in C.UTF-8 en_US.UTF-8; do
    if [ "$(LC_ALL=$locale bash -c 's=é; echo ${#s}' 2>/dev/null)" = 1 ]; then export LC_ALL=$locale; break; fi
done

if [ "$#" -eq 0 ]; then
    set -- $(find . -mindepth 2 -maxdepth 3 -name '*.csproj' -not -path './tests/*' -not -path './bench/*' \
        -exec dirname {} \; | sed 's|^\./||' | sort)
fi

found=0
for dir in "$@"; do
    dir=${dir%/}
    n=0
    while IFS= read -r hit; do
        file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; text=${rest#*:}
        n=$((n + 1))
        $count || echo "$file:$line: ${#text} characters"
    done < <(find "$dir" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 | sort -z \
        | xargs -0 -r grep -nHE "^.{$((limit + 1)),}" || true)
    $count && echo "$dir: $n"
    found=$((found + n))
done
$count || echo "$found lines over $limit characters" >&2
[ "$found" -eq 0 ]
