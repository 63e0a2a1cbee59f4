@echo off
rem jhtrace capture for a Windows server, run by the Task Scheduler (see README.md).
rem Usage: jhtrace-capture.cmd PROCESS-NAME   e.g.  jhtrace-capture.cmd MyServer.exe
rem Keeps jhtrace's log in %ProgramData%\jhtrace\logs, rotating it at each start (10 kept, each at most one run).
setlocal enabledelayedexpansion
if "%~1"=="" (echo usage: %~nx0 PROCESS-NAME & exit /b 2)
set NAME=%~1
set BASE=%ProgramData%\jhtrace
set LOGS=%BASE%\logs
if not exist "%LOGS%" mkdir "%LOGS%"
rem Owner-only: the capture holds paths from the target. SYSTEM and Administrators only.
icacls "%BASE%" /inheritance:r /grant:r "SYSTEM:(OI)(CI)F" "Administrators:(OI)(CI)F" >nul
rem Rotate: NAME.log -> NAME.1.log -> ... -> NAME.9.log, the oldest dropped
if exist "%LOGS%\%NAME%.9.log" del "%LOGS%\%NAME%.9.log"
for /l %%i in (8,-1,1) do (
  set /a NEXT=%%i+1
  if exist "%LOGS%\%NAME%.%%i.log" ren "%LOGS%\%NAME%.%%i.log" "%NAME%.!NEXT!.log"
)
if exist "%LOGS%\%NAME%.log" ren "%LOGS%\%NAME%.log" "%NAME%.1.log"
java -Xmx256m -XX:+ExitOnOutOfMemoryError -jar "%~dp0jhtrace.jar" capture --name "%NAME%" --every 5m ^
    --when-growth-exceeds 100/h --out "%BASE%\%NAME%" --max-disk 500MB >> "%LOGS%\%NAME%.log" 2>&1
rem 3 = a leak was found: a result, not a failure
if %ERRORLEVEL%==3 exit /b 0
exit /b %ERRORLEVEL%
