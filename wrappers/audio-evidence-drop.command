#!/usr/bin/env bash
# macOS: double-click or drop files onto this in Terminal; it runs the shared shell wrapper next to it.
exec "$(cd "$(dirname "$0")" && pwd)/audio-evidence-drop.sh" "$@"
