@REM jhtrace launcher for Windows: runs the shaded jar, building it with the Maven wrapper first when it
@REM is missing or older than the sources.
@echo off
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%shell\target\jhtrace.jar"
set "STALE="
if not exist "%JAR%" set "STALE=1"
if not defined STALE (
  powershell -NoProfile -NonInteractive -Command "$j=(Get-Item -LiteralPath $env:JAR).LastWriteTimeUtc; $n=Get-ChildItem -LiteralPath $env:ROOT -Recurse -File -Include *.java,*.py,*.properties,pom.xml | Where-Object { $_.FullName -match '\\src\\main\\|pom\.xml$' -and $_.FullName -notmatch '\\target\\' -and $_.LastWriteTimeUtc -gt $j } | Select-Object -First 1; if ($n) { exit 1 } else { exit 0 }"
  if errorlevel 1 set "STALE=1"
)
if defined STALE (
  echo jhtrace: building ^(mvnw.cmd -B -q -DskipTests package^) ... 1>&2
  call "%ROOT%mvnw.cmd" -B -q -DskipTests package -pl shell -am 1>&2
  if errorlevel 1 (
    echo jhtrace: build failed 1>&2
    exit /b 1
  )
)
if not defined JHTRACE_JAVA_OPTS set "JHTRACE_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
java %JHTRACE_JAVA_OPTS% -Djhtrace.home="%ROOT%." -jar "%JAR%" %*
exit /b %ERRORLEVEL%
