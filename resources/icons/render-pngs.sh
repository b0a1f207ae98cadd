#!/bin/bash
# Renders the hicolor PNGs of the application icon from io.github.liverack.LiveRack.svg with
# rsvg-convert (Debian package librsvg2-bin). The PNGs are committed; run this after editing
# the SVG:  resources/icons/render-pngs.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=io.github.liverack.LiveRack
svg="$here/$name.svg"

if ! command -v rsvg-convert >/dev/null 2>&1; then
    echo "render-pngs.sh: rsvg-convert is missing; install it with: apt-get install librsvg2-bin" >&2
    exit 1
fi

for size in 16 32 48 64 128 256; do
    dir="$here/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    rsvg-convert --width "$size" --height "$size" --format png --output "$dir/$name.png" "$svg"
    echo "$dir/$name.png"
done
