#!/usr/bin/env bash
# Drag-and-drop wrapper (Linux, also used by the macOS .command): packs every dropped recording or folder
# into an evidence bundle next to it, shows what happened, keeps a log, and waits before the window closes.
set -u

here="$(cd "$(dirname "$0")" && pwd)"
# Prefer the copy of audio-evidence this wrapper ships with; else one on PATH.
if [ -f "$here/../dist/bin.js" ]; then
  cli=(node "$here/../dist/bin.js")
elif command -v audio-evidence >/dev/null 2>&1; then
  cli=(audio-evidence)
else
  echo "audio-evidence was not found. Install it (npm ci in its folder) or put it on PATH." >&2
  echo "找不到 audio-evidence。请先在其文件夹中运行 npm ci，或将其加入 PATH。" >&2
  [ -t 0 ] && [ "${AE_NO_PAUSE:-}" != 1 ] && read -r -p "Press Enter to close / 按回车键关闭 " _
  exit 2
fi

zh=0
case "${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}" in zh*) zh=1 ;; esac
say() { if [ "$zh" = 1 ]; then printf '%s\n' "$2"; else printf '%s\n' "$1"; fi; }

if [ "$#" -eq 0 ]; then
  say "Drop one or more recordings (or folders) on this icon." "请将一个或多个录音文件（或文件夹）拖放到此图标上。"
  [ -t 0 ] && [ "${AE_NO_PAUSE:-}" != 1 ] && read -r -p "Press Enter to close / 按回车键关闭 " _
  exit 2
fi

status=0
for input in "$@"; do
  # Absolute path, so a name with a leading "-" can never be read as an option.
  case "$input" in /*) path="$input" ;; *) path="$PWD/$input" ;; esac
  if [ -d "$path" ]; then dir="$path"; else dir="$(dirname "$path")"; fi
  log="$dir/audio-evidence-log.txt"
  say "Packing: $path" "正在打包：$path"
  {
    printf '\n== %s  pack %s\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$path"
  } >>"$log" 2>/dev/null || log=/dev/null
  "${cli[@]}" pack -- "$path" 2>&1 | tee -a "$log"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then
    say "Done: the bundle is next to the recording." "完成：证据包已保存在录音文件旁边。"
  else
    say "Problem (exit code $rc); see the messages above and $log." "出现问题（退出码 $rc），请查看上面的信息和 $log。"
    status=$rc
  fi
done

if [ -t 0 ] && [ "${AE_NO_PAUSE:-}" != 1 ]; then
  read -r -p "Press Enter to close / 按回车键关闭 " _
fi
exit "$status"
