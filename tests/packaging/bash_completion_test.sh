#!/usr/bin/env bash
# Tests packaging/liverack.bash-completion: for each command line it sets COMP_WORDS, COMP_CWORD,
# COMP_LINE and COMP_POINT as bash does for the cursor at the end of the line, runs _liverack and
# compares COMPREPLY with what is expected. Every case runs twice: with the completion file alone
# (no bash-completion package), and after bash-completion's helpers
# (/usr/share/bash-completion/bash_completion) when they are installed. Prints PASS/FAIL per case
# and "N passed, M failed"; exits 1 on any mismatch.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
completion=$root/packaging/liverack.bash-completion
helpers=/usr/share/bash-completion/bash_completion

if [[ ! -f $completion ]]; then
    echo "error: $completion is missing" >&2
    exit 1
fi

# A folder of files for the file-name cases.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/files/takes"
touch "$work/files/voice.json" "$work/files/take.wav" "$work/files/take.flac" \
    "$work/files/notes.txt"
cd "$work/files"

# Splits $1 into words as bash does for completion (white space separates words; a run of '='
# or ':', which are in COMP_WORDBREAKS, is a word of its own), sets the COMP_ variables for the
# cursor at the end, runs _liverack and prints COMPREPLY sorted, one per line.
complete_line() {
    local line=$1 current="" kind="" char
    local -a split=()
    local -i i
    for ((i = 0; i < ${#line}; i++)); do
        char=${line:i:1}
        case $char in
            [[:space:]])
                [[ -z $current ]] || split+=("$current")
                current=""
                kind=""
                ;;
            = | :)
                if [[ $kind != break && -n $current ]]; then
                    split+=("$current")
                    current=""
                fi
                current+=$char
                kind="break"
                ;;
            *)
                if [[ $kind == break ]]; then
                    split+=("$current")
                    current=""
                fi
                current+=$char
                kind=word
                ;;
        esac
    done
    split+=("$current")
    COMP_WORDS=("${split[@]}")
    COMP_CWORD=$((${#split[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
    COMPREPLY=()
    _liverack
    if ((${#COMPREPLY[@]} > 0)); then
        printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
    fi
}

# check MODE HOW LINE WORD...: HOW is "exactly" (COMPREPLY holds the words and nothing else),
# "contains" (it holds each of them) or "lacks" (it holds none of them).
check() {
    local mode=$1 how=$2 line=$3
    shift 3
    local got expected word ok=1
    got=$(complete_line "$line")
    case $how in
        exactly)
            expected=$(if (($# > 0)); then printf '%s\n' "$@" | LC_ALL=C sort; fi)
            [[ $got == "$expected" ]] || ok=0
            ;;
        contains)
            for word in "$@"; do
                grep -qxF -- "$word" <<<"$got" || ok=0
            done
            ;;
        lacks)
            for word in "$@"; do
                if grep -qxF -- "$word" <<<"$got"; then
                    ok=0
                fi
            done
            ;;
    esac
    local words=${*:-(nothing)}
    if ((ok)); then
        echo "PASS [$mode] '$line<TAB>' offers $how: $words"
    else
        echo "FAIL [$mode] '$line<TAB>' should offer $how: $words"
        echo "     but offers: $(tr '\n' ' ' <<<"$got")"
    fi
}

run_cases() {
    local mode=$1
    if complete -p liverack 2>/dev/null | grep -q -- '-F _liverack liverack$'; then
        echo "PASS [$mode] 'complete -F _liverack liverack' is registered"
    else
        echo "FAIL [$mode] the completion file does not register 'complete -F _liverack liverack'"
    fi
    # Subcommands, in first position only.
    check "$mode" exactly "liverack de" devices
    check "$mode" exactly "liverack " analyze devices plugins render
    check "$mode" exactly "liverack p" plugins
    check "$mode" exactly "liverack --headless "
    # Options of the window and --headless, and their values.
    check "$mode" contains "liverack --api " jack alsa
    check "$mode" exactly "liverack --api " jack alsa pulse null
    check "$mode" exactly "liverack --api=p" pulse
    check "$mode" exactly "liverack --api=" jack alsa pulse null
    check "$mode" exactly "liverack --input " none
    check "$mode" exactly "liverack --output n" none
    check "$mode" exactly "liverack --rate 48" 48000
    check "$mode" contains "liverack --block " 32 256 4096
    check "$mode" exactly "liverack --record-tap " pre post both
    check "$mode" exactly "liverack --source " device file: sine: noise pink sweep
    check "$mode" exactly "liverack --source s" sine: sweep
    check "$mode" exactly "liverack --source sine:4" 440
    check "$mode" exactly "liverack --source file:ta" take.flac take.wav takes
    check "$mode" exactly "liverack --source=file:no" notes.txt
    check "$mode" exactly "liverack --headless --gain-db -"
    check "$mode" contains "liverack --headless --" --api --input --output --rate --block \
        --channels --source --preset --no-autoconnect --gain-db --record --record-tap --help \
        --version
    check "$mode" lacks "liverack --headless --" --headless --fresh
    check "$mode" contains "liverack --" --headless --fresh
    check "$mode" exactly "liverack --headless --api jack --no" --no-autoconnect
    check "$mode" exactly "liverack --headless --api jack --refer" --reference
    check "$mode" exactly "liverack --headless --reference Firefox --api j" jack
    check "$mode" exactly "liverack --headless --virtual-mic-" --virtual-mic-name
    check "$mode" exactly "liverack --fresh --h" --help
    # File names: --preset takes .json files, --record .wav and .flac, folders for both.
    check "$mode" exactly "liverack --preset " takes voice.json
    check "$mode" exactly "liverack --preset=v" voice.json
    check "$mode" exactly "liverack --headless --record t" take.flac take.wav takes
    # devices
    check "$mode" exactly "liverack devices --" --json --api --help
    check "$mode" exactly "liverack devices --api n" null
    check "$mode" exactly "liverack devices --api jack --" --json --help
    check "$mode" exactly "liverack devices "
    # plugins [--json]
    check "$mode" exactly "liverack plugins --" --json --help
    check "$mode" exactly "liverack plugins --json --" --help
    check "$mode" exactly "liverack plugins "
    # render --preset P IN OUT
    check "$mode" contains "liverack render --" --preset --block
    check "$mode" exactly "liverack render --" --preset --block --help
    check "$mode" exactly "liverack render --preset " takes voice.json
    check "$mode" contains "liverack render --block " 1024
    check "$mode" exactly "liverack render --preset voice.json " notes.txt take.flac take.wav \
        takes voice.json
    check "$mode" exactly "liverack render --preset voice.json take.wav " take.flac take.wav takes
    check "$mode" exactly "liverack render --block 512 take.wav out.wav "
    # analyze IN
    check "$mode" exactly "liverack analyze --j" --json
    check "$mode" exactly "liverack analyze t" take.flac take.wav takes
    check "$mode" exactly "liverack analyze take.wav "
}

log=$work/results.log
(
    # shellcheck source=/dev/null
    source "$completion"
    if declare -F _filedir >/dev/null; then
        echo "FAIL [standalone] _filedir is defined without bash-completion" >&2
        exit 1
    fi
    run_cases standalone
) | tee "$log"
if [[ -f $helpers ]]; then
    (
        # shellcheck source=/dev/null
        source "$helpers"
        # shellcheck source=/dev/null
        source "$completion"
        run_cases bash-completion
    ) | tee -a "$log"
else
    echo "note: $helpers is not installed (package bash-completion); only the standalone run was made"
fi

passed=$(grep -c '^PASS' "$log" || true)
failed=$(grep -c '^FAIL' "$log" || true)
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
