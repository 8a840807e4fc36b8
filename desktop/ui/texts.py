"""Translatable labels for core values (outcomes, modes), in one place."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from desktop.config import Mode
from desktop.contacts import Outcome

OUTCOMES = {
    Outcome.INFORMATION.value: QT_TRANSLATE_NOOP("Texts", "Information given"),
    Outcome.MESSAGE.value: QT_TRANSLATE_NOOP("Texts", "Message for the branch"),
    Outcome.CALLBACK.value: QT_TRANSLATE_NOOP("Texts", "Callback requested"),
    Outcome.TRANSFERRED.value: QT_TRANSLATE_NOOP("Texts", "Transferred"),
    Outcome.OTHER.value: QT_TRANSLATE_NOOP("Texts", "Other"),
}
MODES = {
    Mode.DISASTER.value: QT_TRANSLATE_NOOP("Texts", "DISASTER BACKUP"),
    Mode.OVERFLOW.value: QT_TRANSLATE_NOOP("Texts", "OVERFLOW"),
    Mode.EXERCISE.value: QT_TRANSLATE_NOOP("Texts", "EXERCISE — not a real call"),
}


def outcome_label(value: str) -> str:
    return QCoreApplication.translate("Texts", OUTCOMES.get(value, value))


def mode_label(value: str) -> str:
    return QCoreApplication.translate("Texts", MODES.get(value, value))
