"""Translators: Repli's own (.qm compiled from resources/translations/*.ts) and Qt's."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.paths import translations_dir

log = logging.getLogger("repli.ui.i18n")
LANGUAGES = ("fr", "en")
_INSTALLED: list[QTranslator] = []  # ours, so that a second install replaces them


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language``; English is the source language."""
    QLocale.setDefault(QLocale(language))
    while _INSTALLED:
        old = _INSTALLED.pop()
        app.removeTranslator(old)
        old.deleteLater()
    installed = _INSTALLED
    if language == "en":
        return installed
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (
        (f"qtbase_{language}", qt_dir),
        (f"repli_{language}", str(translations_dir())),
    ):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
        elif name.startswith("repli"):
            log.error("translation %s not found in %s: the UI stays in English", name, folder)
    return installed
