@REM Maven wrapper for jhtrace on Windows: uses %MAVEN_HOME%\bin\mvn.cmd, else mvn on the PATH.
@REM The pinned version is in .mvn\wrapper\maven-wrapper.properties; Maven 3.8 or newer works.
@echo off
setlocal
set "ROOT=%~dp0"
if defined MAVEN_HOME if exist "%MAVEN_HOME%\bin\mvn.cmd" (
  "%MAVEN_HOME%\bin\mvn.cmd" -f "%ROOT%pom.xml" %*
  exit /b %ERRORLEVEL%
)
where mvn >nul 2>nul
if errorlevel 1 (
  echo mvnw: no Maven found: install Maven 3.8 or newer and put it on the PATH 1>&2
  exit /b 6
)
mvn -f "%ROOT%pom.xml" %*
exit /b %ERRORLEVEL%
