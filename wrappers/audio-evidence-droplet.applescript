-- macOS droplet: build with  osacompile -o "Audio Evidence.app" audio-evidence-droplet.applescript
-- then drop recordings or folders on the app icon (Finder or Dock). It opens Terminal and runs the
-- shell wrapper, so the user sees progress and the result. Set wrapperPath to where you installed it.
property wrapperPath : "/Applications/audio-evidence/wrappers/audio-evidence-drop.sh"

on open droppedItems
	set args to ""
	repeat with anItem in droppedItems
		set args to args & " " & quoted form of POSIX path of anItem
	end repeat
	-- Homebrew's and the official Node installer's locations are not on the PATH of GUI apps.
	set cmd to "export PATH=/opt/homebrew/bin:/usr/local/bin:$PATH; " & quoted form of wrapperPath & " --" & args
	tell application "Terminal"
		activate
		do script cmd
	end tell
end open

on run
	display dialog "Drop recordings or folders on this icon to pack them as evidence." & return & "请将录音文件或文件夹拖放到此图标上。" buttons {"OK"} default button 1
end run
