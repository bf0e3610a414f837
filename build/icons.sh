#!/usr/bin/env bash
# Draws the app icon (build/icon.png, 1024 px: electron-builder makes .icns and .ico from it) and the tray icons
# (resources/tray.png 16 px, tray@2x.png 32 px) with ffmpeg alone: a porthole ring around a red "live" dot.
# Drawn at twice the size and scaled down with Lanczos, for smooth edges.
set -euo pipefail
cd "$(dirname "$0")/.."

draw() { # $1 size, $2 background (1: rounded dark square, 0: transparent), $3 zoom of ring and dot, $4 output
  local size=$1 big=$(( $1 * 2 )) background=$2 zoom=$3 out=$4
  local inside="lte(hypot(max(abs(X-W/2+0.5)-W*0.33,0),max(abs(Y-H/2+0.5)-H*0.33,0)),W*0.17)"
  local ring="between(hypot(X-W/2+0.5,Y-H/2+0.5),W*0.245*$zoom,W*0.305*$zoom)"
  local dot="lte(hypot(X-W/2+0.5,Y-H/2+0.5),W*0.165*$zoom)"
  local alpha="255*if($background,$inside,max($ring,$dot))"
  ffmpeg -v error -y -f lavfi -i "color=c=black:s=${big}x${big}:d=1,format=rgba" -frames:v 1 -vf "geq=\
r='if($dot,229,if($ring,232,20))':\
g='if($dot,57,if($ring,236,22))':\
b='if($dot,53,if($ring,242,31))':\
a='$alpha',scale=${size}:${size}:flags=lanczos" "$out"
}

# The tray has no background and little room: ring and dot fill it.
draw 1024 1 1 build/icon.png
draw 16 0 1.6 resources/tray.png
draw 32 0 1.6 resources/tray@2x.png
