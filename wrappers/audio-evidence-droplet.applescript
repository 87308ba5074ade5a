-- macOS droplet: build it with
--   osacompile -o "Audio Evidence.app" audio-evidence-droplet.applescript
-- in this wrappers folder, then drop recordings or folders on the app icon (Finder or Dock). It opens
-- Terminal and runs audio-evidence-drop.sh beside the app, so the user sees progress and the result.
-- When the app is moved elsewhere, it falls back to fallbackWrapper (edit it to where you installed).
property fallbackWrapper : "/Applications/audio-evidence/wrappers/audio-evidence-drop.sh"

on wrapperPath()
	-- path to me is ".../wrappers/Audio Evidence.app/"; the shell wrapper sits next to the app.
	set appPath to POSIX path of (path to me)
	set candidate to (do shell script "dirname " & quoted form of appPath) & "/audio-evidence-drop.sh"
	try
		do shell script "test -f " & quoted form of candidate
		return candidate
	on error
		return fallbackWrapper
	end try
end wrapperPath

on isChinese()
	return (user locale of (system info)) starts with "zh"
end isChinese

on open droppedItems
	set args to ""
	repeat with anItem in droppedItems
		-- Absolute, quoted paths: spaces, Chinese and a leading "-" reach the wrapper unchanged.
		set args to args & " " & quoted form of POSIX path of anItem
	end repeat
	-- Homebrew's and the official Node installer's locations are not on the PATH of GUI apps; "exit" lets
	-- the Terminal window close once the user has pressed Enter at the wrapper's pause.
	set cmd to "export PATH=/opt/homebrew/bin:/usr/local/bin:$PATH; /bin/bash " & quoted form of my wrapperPath() & args & "; exit"
	tell application "Terminal"
		activate
		do script cmd
	end tell
end open

on run
	if my isChinese() then
		display dialog "请将录音文件或文件夹拖放到此图标上，即可为每个录音生成证据包（保存在录音旁边）。" buttons {"好"} default button 1
	else
		display dialog "Drop recordings or folders on this icon: each recording gets an evidence bundle saved next to it." buttons {"OK"} default button 1
	end if
end run
