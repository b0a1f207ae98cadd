#!/usr/bin/env bash
# The Debian package as a user gets it: builds it (packaging/build-deb.sh), checks its file list,
# validates its desktop entry and AppStream metainfo, unpacks it into a scratch root with dpkg -x
# and runs the unpacked binary: --version, render with a factory preset named as a user would,
# analyze on a generated file, plugins against lv2ls, and the man page. Prints "N passed,
# M failed"; exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check DESCRIPTION COMMAND...
    local description=$1
    shift
    if "$@" >"$work/out" 2>&1; then
        passed=$((passed + 1))
        echo "PASS $description"
    else
        failed=$((failed + 1))
        echo "FAIL $description"
        sed 's/^/    /' "$work/out"
    fi
}

deb=$("$root/packaging/build-deb.sh" | tail -n 1)
echo "package: $deb"
app_id=io.github.liverack.LiveRack
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/files"
expected=(
    /usr/bin/liverack
    "/usr/share/applications/$app_id.desktop"
    "/usr/share/metainfo/$app_id.metainfo.xml"
    "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
    /usr/share/man/man1/liverack.1.gz
    /usr/share/bash-completion/completions/liverack
    /usr/share/liverack/presets/podcast-voice.json
    /usr/share/liverack/web/index.html
    /usr/share/liverack/web/monitor.js
    /usr/share/liverack/web/monitor.css
    /usr/share/liverack/web/listen-worklet.js
)
for size in 16 32 48 64 128 256; do
    expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
for file in "${expected[@]}"; do
    check "the package holds $file" grep -qxF "$file" "$work/files"
done
presets_in_tree=$(find "$root/resources/presets" -name '*.json' | wc -l)
check "the package holds all $presets_in_tree factory presets" \
    test "$(grep -c '^/usr/share/liverack/presets/.*\.json$' "$work/files")" -eq "$presets_in_tree"
check "dpkg-shlibdeps computed the runtime dependencies" \
    bash -c "dpkg-deb -f '$deb' Depends | grep -q 'libqt6core6' && dpkg-deb -f '$deb' Depends | grep -q librtaudio"
check "the package depends on lilv (liblilv-0-0), the LV2 host library" \
    bash -c "dpkg-deb -f '$deb' Depends | grep -q 'liblilv-0-0'"
check "the package recommends the LV2 plugins it is tested with" \
    bash -c "dpkg-deb -f '$deb' Recommends | grep -q 'x42-plugins' && dpkg-deb -f '$deb' Recommends | grep -q 'lsp-plugins-lv2'"

unpacked="$work/root"
dpkg -x "$deb" "$unpacked"
# Validators print warnings but exit 0 for some of them, so their output must be empty too.
silent() { local output; output=$("$@" 2>&1) || { echo "$output"; return 1; }; [[ -z "$output" ]] || { echo "$output"; return 1; }; }
check "desktop-file-validate: no errors, no warnings" \
    silent desktop-file-validate "$unpacked/usr/share/applications/$app_id.desktop"
# --pedantic would flag the capital letters in the reverse-DNS id the desktop file already uses.
# The exit status says valid or not (its "✔" line turns into "?" outside a UTF-8 locale);
# infos and pedantic remarks are allowed, errors and warnings are not.
check "appstreamcli validate --no-net: no errors, no warnings" \
    bash -c "out=\$(appstreamcli validate --no-net '$unpacked/usr/share/metainfo/$app_id.metainfo.xml') &&
             printf '%s\\n' \"\$out\" >&2 && ! printf '%s\\n' \"\$out\" | grep -E '^(E|W):'"
check "the desktop entry launches liverack with the packaged icon" \
    bash -c "grep -qx 'Exec=liverack' '$unpacked/usr/share/applications/$app_id.desktop' &&
             grep -qx 'Icon=$app_id' '$unpacked/usr/share/applications/$app_id.desktop'"

liverack="$unpacked/usr/bin/liverack"
# Nothing from this source tree or the user's own folders may help the unpacked binary.
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config"
unset LIVERACK_FACTORY_PRESETS
version=$(grep -m1 -oP 'project\(LiveRack VERSION \K[0-9.]+' "$root/CMakeLists.txt")
check "the unpacked liverack --version says $version" \
    bash -c "'$liverack' --version | grep -q '^liverack $version'"
sox -n -r 48000 -c 2 -b 24 "$work/tone.wav" synth 2 sine 440 vol 0.25
check "the unpacked liverack renders with the factory preset 'Podcast voice' found by name" \
    "$liverack" render --preset "Podcast voice" "$work/tone.wav" "$work/processed.wav"
check "the render kept the input's length" \
    bash -c "test \"\$(soxi -s '$work/processed.wav')\" = \"\$(soxi -s '$work/tone.wav')\""
check "the unpacked liverack analyze measures the generated 440 Hz tone" \
    bash -c "'$liverack' analyze --json '$work/tone.wav' | grep -q '\"note\": *\"A4\"'"
check "the unpacked liverack plugins lists as many LV2 plugins as lv2ls" \
    bash -c "test \"\$('$liverack' plugins | head -n 1 | cut -d ' ' -f 1)\" = \"\$(lv2ls | wc -l)\""
mv "$unpacked/usr/share/liverack/presets" "$work/presets-moved"
check "without its presets folder the unpacked binary cannot find 'Podcast voice' (no fallback)" \
    bash -c "! '$liverack' render --preset 'Podcast voice' '$work/tone.wav' '$work/again.wav'"
mv "$work/presets-moved" "$unpacked/usr/share/liverack/presets"
# serves_page: the unpacked binary's --web answers / with the packaged page (the source tree's is
# not reachable from a package build). Reads liverack's stderr line by line for the address.
serves_page() {
    local fifo="$work/web.fifo" url="" line status=1
    mkfifo "$fifo"
    "$liverack" --headless --api null --source sine:440 --web 0 >/dev/null 2>"$fifo" &
    local pid=$!
    exec 4<"$fifo"
    while IFS= read -r -t 20 line <&4; do
        if [[ "$line" =~ web\ monitor\ at\ (http://[^ ;]+) ]]; then
            url=${BASH_REMATCH[1]}
            break
        fi
    done
    cat <&4 >/dev/null &
    if [[ -n "$url" ]] && curl -sf "$url" | grep -q '<title>LiveRack monitor'; then
        status=0
    fi
    kill -INT "$pid"
    wait "$pid" || status=1
    exec 4<&-
    rm -f "$fifo"
    return $status
}
check "the unpacked liverack --web serves the packaged monitor page" serves_page
check "the man page renders without warnings" \
    bash -c "out=\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$unpacked/usr/share/man/man1/liverack.1.gz' 2>&1 >/dev/null); [[ -z \"\$out\" ]] || { echo \"\$out\"; exit 1; }"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
