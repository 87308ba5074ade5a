@echo off
rem Windows drag-and-drop wrapper: drop recordings or folders on this file (or a shortcut to it).
rem Packs each one into an evidence bundle next to it, shows what happened, keeps a log, waits for a key.
setlocal EnableExtensions DisableDelayedExpansion
rem UTF-8 code page so Chinese file names and messages show correctly.
chcp 65001 >nul

set "HERE=%~dp0"
set "CLI=node "%HERE%..\dist\bin.js""
if not exist "%HERE%..\dist\bin.js" set "CLI=audio-evidence"
where node >nul 2>nul || (
  echo Node.js was not found. Install Node.js 20 or later from https://nodejs.org and try again.
  echo 找不到 Node.js。请从 https://nodejs.org 安装 Node.js 20 或更高版本后重试。
  pause
  exit /b 2
)

if "%~1"=="" (
  echo Drop one or more recordings or folders on this icon.
  echo 请将一个或多个录音文件或文件夹拖放到此图标上。
  pause
  exit /b 2
)

set "STATUS=0"
:next
if "%~1"=="" goto done
set "INPUT=%~f1"
set "DIR=%~dp1"
if exist "%~f1\*" set "DIR=%~f1\"
set "LOG=%DIR%audio-evidence-log.txt"
echo.
echo Packing / 正在打包: "%INPUT%"
>>"%LOG%" echo == %DATE% %TIME%  pack "%INPUT%"
%CLI% pack -- "%INPUT%" > "%TEMP%\audio-evidence-last.txt" 2>&1
set "RC=%ERRORLEVEL%"
type "%TEMP%\audio-evidence-last.txt"
type "%TEMP%\audio-evidence-last.txt" >> "%LOG%"
if "%RC%"=="0" (
  echo Done: the bundle is next to the recording. / 完成：证据包已保存在录音文件旁边。
) else (
  echo Problem ^(exit code %RC%^); see "%LOG%". / 出现问题（退出码 %RC%），请查看日志。
  set "STATUS=%RC%"
)
shift
goto next

:done
del "%TEMP%\audio-evidence-last.txt" >nul 2>nul
echo.
pause
exit /b %STATUS%
