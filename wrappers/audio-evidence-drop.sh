#!/usr/bin/env bash
# Drag-and-drop wrapper (Linux, also run by the macOS .command and droplet): packs every dropped recording
# or folder into evidence bundles next to it, shows what happened, keeps a log, waits before closing.
# Works with the bash 3.2 that macOS ships (no mapfile, no associative arrays).
set -u

# Chinese when the locale says so, the same rule as the tool itself (LC_ALL, LC_MESSAGES, LANG, LANGUAGE).
zh=0
for value in "${LC_ALL:-}" "${LC_MESSAGES:-}" "${LANG:-}" "${LANGUAGE:-}"; do
  case "$value" in '' | C | POSIX) continue ;; zh*) zh=1 ;; esac
  break
done
say() { if [ "$zh" = 1 ]; then printf '%s\n' "$2"; else printf '%s\n' "$1"; fi; }

# Waits for Enter when a person is watching, so the window does not vanish with the result.
pause() {
  if [ -t 0 ] && [ "${AE_NO_PAUSE:-}" != 1 ]; then
    say "Press Enter to close this window." "按回车键关闭此窗口。"
    read -r _ || true
  fi
}

here="$(cd "$(dirname "$0")" && pwd)"
# Prefer the copy of audio-evidence this wrapper ships with; else one on PATH.
if [ -f "$here/../dist/bin.js" ] && command -v node >/dev/null 2>&1; then
  cli=(node "$here/../dist/bin.js")
elif command -v audio-evidence >/dev/null 2>&1; then
  cli=(audio-evidence)
else
  say "audio-evidence was not found. Install Node.js 20 or later, run \"npm ci\" in the audio-evidence folder, then try again." \
    "找不到 audio-evidence。请安装 Node.js 20 或更高版本，在 audio-evidence 文件夹中运行 \"npm ci\" 后重试。" >&2
  pause
  exit 2
fi

# Every path is made absolute below, so a leading "--" (end of options) carries nothing.
if [ "${1:-}" = "--" ]; then shift; fi
inputs=("$@")
if [ "${#inputs[@]}" -eq 0 ]; then
  if [ ! -t 0 ]; then
    say "Drop one or more recordings (or folders) on this icon." "请将一个或多个录音文件（或文件夹）拖放到此图标上。" >&2
    exit 2
  fi
  # Started without files (double-clicked): terminals paste a dragged file as its quoted path, so ask.
  say "Drag one or more recordings (or folders) into this window, then press Enter:" \
    "请把一个或多个录音文件（或文件夹）拖到本窗口中，然后按回车键："
  IFS= read -r line || line=''
  # xargs undoes the quoting terminals add ('…', "…", backslashes) without running anything in the names.
  while IFS= read -r -d '' item; do
    [ -n "$item" ] && inputs+=("$item")
  done < <(printf '%s' "$line" | xargs printf '%s\0' 2>/dev/null)
  if [ "${#inputs[@]}" -eq 0 ]; then
    say "No file was given; nothing was done." "没有提供文件，未做任何处理。"
    pause
    exit 2
  fi
fi

total=${#inputs[@]}
ok=0
status=0
for input in "${inputs[@]}"; do
  # Absolute path, so a name with a leading "-" can never be read as an option.
  case "$input" in /*) path="$input" ;; *) path="$PWD/$input" ;; esac
  path="${path%/}"
  [ -n "$path" ] || path=/
  parent="$(dirname "$path")"
  # The log sits with the bundles: inside a dropped folder, beside a dropped file.
  if [ -d "$path" ]; then log="$path/audio-evidence-log.txt"; else log="$parent/audio-evidence-log.txt"; fi
  printf '\n'
  say "Packing: $path" "正在打包：$path"
  printf '\n== %s  audio-evidence pack %s\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$path" >>"$log" 2>/dev/null || log=''
  # Run from the input's folder so the summary shows short paths; the tool itself writes the log, so its
  # output goes straight to the terminal and the progress bar can be drawn.
  (cd "$parent" 2>/dev/null || true
    if [ -n "$log" ]; then "${cli[@]}" pack --log "$log" -- "$path"; else "${cli[@]}" pack -- "$path"; fi)
  rc=$?
  if [ "$rc" -eq 0 ]; then
    ok=$((ok + 1))
    if [ -d "$path" ]; then
      msg_en="Done: each recording in the folder has its evidence bundle next to it (name ending in -evidence.zip)."
      msg_zh="完成：文件夹中每个录音的旁边都已生成证据包（文件名以 -evidence.zip 结尾）。"
    else
      msg_en="Done: the evidence bundle is next to the recording (name ending in -evidence.zip)."
      msg_zh="完成：证据包已保存在录音文件旁边（文件名以 -evidence.zip 结尾）。"
    fi
  else
    if [ "$rc" -gt "$status" ]; then status=$rc; fi
    msg_en="Not everything could be packed: see the messages above."
    msg_zh="部分内容未能打包：请查看上面的信息。"
  fi
  say "$msg_en" "$msg_zh"
  [ -n "$log" ] && say "$msg_en (exit code $rc)" "$msg_zh（退出码 $rc）" >>"$log" 2>/dev/null
  [ -n "$log" ] && say "Log: $log" "日志：$log"
done

printf '\n'
say "Finished: $ok of $total dropped item(s) packed without problems." "全部结束：拖入的 $total 项中有 $ok 项顺利打包。"
pause
exit "$status"
