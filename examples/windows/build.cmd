@echo off
rem Builds the leaky examples with MSVC. Run from a "x64 Native Tools Command Prompt for VS".
rem /Zi writes PDBs next to the programs, so jhtrace's reports show function names and source lines.
setlocal
cd /d "%~dp0"
if not exist bin mkdir bin
for %%e in (leak_files leak_named_event leak_registry leak_tokens) do (
  cl /nologo /W4 /WX /Od /Zi /Fobin\ /Fdbin\%%e.pdb /Febin\%%e.exe %%e.c advapi32.lib /link /DEBUG || exit /b 1
)
echo built bin\*.exe
