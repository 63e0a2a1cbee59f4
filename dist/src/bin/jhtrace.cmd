@REM jhtrace launcher for Windows (release): finds Java 17+ by JAVA_HOME, then PATH, and runs lib\jhtrace.jar
@REM with a class-data-sharing archive. A JDK 17 archive is valid only for the jar path and Java build it was
@REM made with, so it is made once per user in %LOCALAPPDATA%\jhtrace (the JVM ignores one that no longer fits,
@REM with a warning on stderr: JHTRACE_CDS=off, or deleting the folder, ends that). Never run on Windows yet.
@REM Environment: JAVA_HOME, JHTRACE_JAVA_OPTS, JHTRACE_CDS=off. Exit code 1 when no usable Java is found.
@echo off
setlocal EnableDelayedExpansion
set "HOME_DIR=%~dp0.."
set "JAR=%HOME_DIR%\lib\jhtrace.jar"
if not exist "%JAR%" (
  echo jhtrace: %JAR% is missing: reinstall jhtrace 1>&2
  exit /b 1
)
if defined JAVA_HOME (
  set "JAVA=%JAVA_HOME%\bin\java.exe"
  if not exist "!JAVA!" (
    echo jhtrace: JAVA_HOME is %JAVA_HOME% but it has no bin\java.exe; set JAVA_HOME to a Java 17 or newer 1>&2
    exit /b 1
  )
) else (
  set "JAVA="
  for /f "delims=" %%j in ('where java 2^>nul') do if not defined JAVA set "JAVA=%%j"
  if not defined JAVA (
    echo jhtrace: no Java found: install Java 17 or newer, or set JAVA_HOME 1>&2
    exit /b 1
  )
)
@REM the version: the first number of "version ..." in java -version's first line (1.8 reads as 1)
set "MAJOR="
for /f "tokens=3" %%v in ('"!JAVA!" -version 2^>^&1 ^| findstr /i "version"') do if not defined MAJOR (
  for /f "delims=.-+ tokens=1,2" %%a in (%%v) do (
    set "MAJOR=%%a"
    if "%%a"=="1" set "MAJOR=%%b"
  )
)
if not defined MAJOR (
  echo jhtrace: cannot tell the version of !JAVA!; jhtrace needs Java 17 or newer 1>&2
  exit /b 1
)
if !MAJOR! LSS 17 (
  echo jhtrace: !JAVA! is Java !MAJOR!; jhtrace needs Java 17 or newer ^(set JAVA_HOME to one^) 1>&2
  exit /b 1
)
if not defined JHTRACE_JAVA_OPTS set "JHTRACE_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
@REM JVM messages to stderr; before JHTRACE_JAVA_OPTS, so that -Xlog options given there take effect (as in the sh launcher)
set "LOGGING=-Xlog:disable -Xlog:all=warning:stderr"
@REM archives mapped where they were made to be, not relocated on every start (see the sh launcher); overridable
set "MAPPING="
if !MAJOR! LEQ 25 set "MAPPING=-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
set "CDS="
@REM the archive is named by the Java's major version and the jar's size: a new release or Java gets its own
if /i not "%JHTRACE_CDS%"=="off" if defined LOCALAPPDATA (
  for %%F in ("%JAR%") do set "JARSIZE=%%~zF"
  set "ARCHIVE=%LOCALAPPDATA%\jhtrace\jhtrace-!MAJOR!-!JARSIZE!.jsa"
  if not exist "!ARCHIVE!" (
    if not exist "%LOCALAPPDATA%\jhtrace" mkdir "%LOCALAPPDATA%\jhtrace" 2>nul
    "!JAVA!" %LOGGING% %JHTRACE_JAVA_OPTS% -XX:ArchiveClassesAtExit="!ARCHIVE!" -cp "%JAR%" dev.jhtrace.shell.CdsTraining >nul 2>&1
  )
  if exist "!ARCHIVE!" set "CDS=-XX:SharedArchiveFile=!ARCHIVE!"
)
"!JAVA!" !MAPPING! %LOGGING% %JHTRACE_JAVA_OPTS% !CDS! -Djhtrace.home="%HOME_DIR%" -jar "%JAR%" %*
exit /b !ERRORLEVEL!
