#!/usr/bin/env bash
# macOS: double-click this in Finder (Terminal opens and asks you to drag recordings or folders into the
# window), or give it files on the command line. It runs the shared shell wrapper that sits next to it.
exec /bin/bash "$(cd "$(dirname "$0")" && pwd)/audio-evidence-drop.sh" "$@"
