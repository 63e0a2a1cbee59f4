@REM jhtrace launcher for Windows: runs the shaded jar, building it with the Maven wrapper when missing.
@REM (Staleness is checked on Linux/macOS by ./jhtrace; on Windows rebuild with mvnw.cmd after changing sources.)
@echo off
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%shell\target\jhtrace.jar"
if not exist "%JAR%" (
  echo jhtrace: building ^(mvnw.cmd -B -q -DskipTests package^) ... 1>&2
  call "%ROOT%mvnw.cmd" -B -q -DskipTests package -pl shell -am 1>&2
  if errorlevel 1 (
    echo jhtrace: build failed 1>&2
    exit /b 1
  )
)
java %JHTRACE_JAVA_OPTS% -Djhtrace.home="%ROOT%." -jar "%JAR%" %*
exit /b %ERRORLEVEL%
