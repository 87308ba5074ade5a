@echo off
rem Windows drag-and-drop wrapper: drop recordings or folders on this file (or on a shortcut to it).
rem Packs each one into evidence bundles next to it, shows what happened, keeps a log, waits for a key.
rem Kept as UTF-8 without BOM and with CRLF line ends (.gitattributes): cmd.exe needs both.
rem Paths are only ever used inside quotes or through delayed expansion in :say, so names holding
rem spaces, Chinese, ( ) & ^ %% or ! reach the tool unchanged.
setlocal EnableExtensions DisableDelayedExpansion

rem Windows sets no LANG: take Chinese from the console code page (936 GBK, 950 Big5) before switching it.
set "AE_CP="
for /f "tokens=*" %%a in ('chcp') do for %%b in (%%a) do set "AE_CP=%%b"
if defined AE_CP set "AE_CP=%AE_CP:.=%"
if not defined LANG if "%AE_CP%"=="936" set "LANG=zh_CN.UTF-8"
if not defined LANG if "%AE_CP%"=="950" set "LANG=zh_TW.UTF-8"
set "AE_ZH=0"
set "AE_LANGVAR=%LC_ALL%"
if not defined AE_LANGVAR set "AE_LANGVAR=%LANG%"
if defined AE_LANGVAR if /i "%AE_LANGVAR:~0,2%"=="zh" set "AE_ZH=1"
rem UTF-8 from here on, so Chinese names and messages show correctly.
chcp 65001 >nul

set "AE_HERE=%~dp0"
set "AE_BIN=%AE_HERE%..\dist\bin.js"
where node >nul 2>nul
if errorlevel 1 goto no_node
if not exist "%AE_BIN%" goto use_path
set "AE_USE_BIN=1"
goto have_cli
:use_path
set "AE_USE_BIN=0"
where audio-evidence >nul 2>nul
if errorlevel 1 goto no_tool
:have_cli

if "%~1"=="" goto no_args

set "AE_STATUS=0"
set "AE_OK=0"
set "AE_TOTAL=0"
:next
if "%~1"=="" goto done
set /a AE_TOTAL+=1
set "AE_INPUT=%~f1"
set "AE_PARENT=%~dp1"
set "AE_LOG=%~dp1audio-evidence-log.txt"
set "AE_KIND=file"
if exist "%~f1\*" set "AE_KIND=folder"
if "%AE_KIND%"=="folder" set "AE_LOG=%~f1\audio-evidence-log.txt"
echo.
set "AE_EN=Packing: "
set "AE_ZH_TEXT=正在打包："
set "AE_ARG=%AE_INPUT%"
call :say
>>"%AE_LOG%" echo.
>>"%AE_LOG%" echo == %DATE% %TIME%  audio-evidence pack "%AE_INPUT%"
rem From the input's folder the summary shows short paths; the tool writes the log itself, so its output
rem goes straight to this window and the progress bar can be drawn.
pushd "%AE_PARENT%" 2>nul
if "%AE_USE_BIN%"=="1" (
  node "%AE_BIN%" pack --log "%AE_LOG%" -- "%AE_INPUT%"
) else (
  rem "call" is needed to come back from npm's audio-evidence.cmd (it re-reads %% signs in the path).
  call audio-evidence pack --log "%AE_LOG%" -- "%AE_INPUT%"
)
set "AE_RC=%ERRORLEVEL%"
popd
set "AE_ARG="
if not "%AE_RC%"=="0" goto failed
set /a AE_OK+=1
set "AE_EN=Done: the evidence bundle is next to the recording (name ending in -evidence.zip)."
set "AE_ZH_TEXT=完成：证据包已保存在录音文件旁边（文件名以 -evidence.zip 结尾）。"
if "%AE_KIND%"=="folder" set "AE_EN=Done: each recording in the folder has its evidence bundle next to it (name ending in -evidence.zip)."
if "%AE_KIND%"=="folder" set "AE_ZH_TEXT=完成：文件夹中每个录音的旁边都已生成证据包（文件名以 -evidence.zip 结尾）。"
goto reported
:failed
if %AE_RC% GTR %AE_STATUS% set "AE_STATUS=%AE_RC%"
set "AE_EN=Not everything could be packed: see the messages above."
set "AE_ZH_TEXT=部分内容未能打包：请查看上面的信息。"
:reported
call :say
call :say >>"%AE_LOG%"
set "AE_EN=Log: "
set "AE_ZH_TEXT=日志："
set "AE_ARG=%AE_LOG%"
call :say
set "AE_ARG="
shift
goto next

:done
echo.
set "AE_EN=Finished: %AE_OK% of %AE_TOTAL% dropped item(s) packed without problems."
set "AE_ZH_TEXT=全部结束：拖入的 %AE_TOTAL% 项中有 %AE_OK% 项顺利打包。"
call :say
pause
exit /b %AE_STATUS%

:no_args
set "AE_EN=Drop one or more recordings (or folders) on this icon."
set "AE_ZH_TEXT=请将一个或多个录音文件（或文件夹）拖放到此图标上。"
call :say
pause
exit /b 2

:no_node
set "AE_EN=Node.js was not found. Install Node.js 20 or later from https://nodejs.org and try again."
set "AE_ZH_TEXT=找不到 Node.js。请从 https://nodejs.org 安装 Node.js 20 或更高版本后重试。"
call :say
pause
exit /b 2

:no_tool
set "AE_EN=audio-evidence was not found. Run "npm ci" in the audio-evidence folder, then try again."
set "AE_ZH_TEXT=找不到 audio-evidence。请在 audio-evidence 文件夹中运行 "npm ci" 后重试。"
call :say
pause
exit /b 2

rem Prints AE_EN or AE_ZH_TEXT (by AE_ZH) followed by AE_ARG. Delayed expansion reads the values after the
rem line is parsed, so nothing in a path is taken as a command character.
:say
setlocal EnableDelayedExpansion
if "!AE_ZH!"=="1" (set "AE_LINE=!AE_ZH_TEXT!") else (set "AE_LINE=!AE_EN!")
echo(!AE_LINE!!AE_ARG!
endlocal
exit /b 0
