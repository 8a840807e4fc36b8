; Repli's NSIS installer (makensis runs on Linux and Windows).
;   makensis -DVERSION=0.1.0 -DPAYLOAD=build\dist\repli -DOUTFILE=Repli-0.1.0-setup.exe -DICON=repli.ico repli.nsi
; packaging/build.py nsis does exactly that.
;
; Silent install with a seat's settings (all optional but SITE and SEAT to provision):
;   Repli-0.1.0-setup.exe /S /SITE=Lyon secours /SEAT=B-07 /TABLES=\\server\repli\tables.zip
;       /MODE=disaster /SYNC_URL=https://crm.example/api /SYNC_TOKEN=... /SYNC_FOLDER=...
;       /SYNC_DATABASE=postgresql://... /SUPERVISOR_PIN_FILE=\\server\repli\pin.txt
;   (a value with spaces is quoted whole: "/SITE=Lyon secours"; /D=C:\Repli sets the folder
;   and must come last). Exit code 0: installed and provisioned; 2: installed, but provisioning
;   was refused (the installer's log says why); run "repli-cli provision" again to fix it.

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "VERSION is not defined (-DVERSION=...)"
!endif
!ifndef PAYLOAD
  !error "PAYLOAD is not defined (-DPAYLOAD=the bundle folder)"
!endif

Name "Repli ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Repli"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Repli"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "English"

Var Arguments

; Append " --option "value"" to $Arguments when /NAME= was given on the command line.
!macro OptionArgument NAME OPTION
  Push $0
  ClearErrors
  ${GetOptions} $R9 "/${NAME}=" $0
  ${IfNot} ${Errors}
  ${AndIf} $0 != ""
    StrCpy $Arguments '$Arguments ${OPTION} "$0"'
  ${EndIf}
  Pop $0
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Repli needs a 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Section "Repli" Main
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*"
  CreateDirectory "$SMPROGRAMS\Repli"
  CreateShortcut "$SMPROGRAMS\Repli\Repli.lnk" "$INSTDIR\repli.exe"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "Repli"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "Repli"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\repli.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'

  ; Provision the seat when the command line names it.
  ${GetParameters} $R9
  StrCpy $Arguments ""
  !insertmacro OptionArgument SITE --site
  !insertmacro OptionArgument SEAT --seat
  !insertmacro OptionArgument TABLES --tables
  !insertmacro OptionArgument MODE --mode
  !insertmacro OptionArgument SYNC_URL --sync-url
  !insertmacro OptionArgument SYNC_TOKEN --sync-token
  !insertmacro OptionArgument SYNC_FOLDER --sync-folder
  !insertmacro OptionArgument SYNC_DATABASE --sync-database
  !insertmacro OptionArgument SUPERVISOR_PIN_FILE --supervisor-pin-file
  !insertmacro OptionArgument CLIENT --client
  !insertmacro OptionArgument CLIENT_NAME --client-name
  !insertmacro OptionArgument CLIENT_COLOUR --client-colour
  ClearErrors
  ${GetOptions} $R9 "/SITE=" $1
  ${GetOptions} $R9 "/SEAT=" $2
  ${If} $1 != ""
  ${AndIf} $2 != ""
    nsExec::ExecToLog '"$INSTDIR\repli-cli.exe" provision --system$Arguments'
    Pop $0
    ${If} $0 != 0
      SetErrorLevel 2
      MessageBox MB_ICONEXCLAMATION "Repli is installed, but the seat could not be provisioned (code $0). Run: repli-cli provision" /SD IDOK
    ${EndIf}
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetRegView 64
  ; The agents' data and the seat configuration (%ProgramData%\Repli) are kept.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\repli.exe"
  Delete "$INSTDIR\repli-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Repli\Repli.lnk"
  RMDir "$SMPROGRAMS\Repli"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
