"""Translatable labels for core values (outcomes, modes), in one place."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.config import Mode
from desktop.contacts import Outcome
from desktop.number_kinds import NumberKind, kind_of

OUTCOMES: dict[str, str] = {
    Outcome.INFORMATION.value: str(QT_TRANSLATE_NOOP("Texts", "Information given")),
    Outcome.MESSAGE.value: str(QT_TRANSLATE_NOOP("Texts", "Message for the branch")),
    Outcome.CALLBACK.value: str(QT_TRANSLATE_NOOP("Texts", "Callback requested")),
    Outcome.TRANSFERRED.value: str(QT_TRANSLATE_NOOP("Texts", "Transferred")),
    Outcome.OTHER.value: str(QT_TRANSLATE_NOOP("Texts", "Other")),
}
MODES: dict[str, str] = {
    Mode.DISASTER.value: str(QT_TRANSLATE_NOOP("Texts", "DISASTER BACKUP")),
    Mode.OVERFLOW.value: str(QT_TRANSLATE_NOOP("Texts", "OVERFLOW")),
    Mode.EXERCISE.value: str(QT_TRANSLATE_NOOP("Texts", "EXERCISE — not a real call")),
}


def outcome_label(value: str) -> str:
    return QCoreApplication.translate("Texts", OUTCOMES.get(value, value))


def mode_label(value: str) -> str:
    return QCoreApplication.translate("Texts", MODES.get(value, value))


NUMBER_KINDS: dict[str, str] = {
    NumberKind.FREE.value: str(QT_TRANSLATE_NOOP("Texts", "free number")),
    NumberKind.NORMAL_RATE.value: str(QT_TRANSLATE_NOOP("Texts", "normal-rate number")),
    NumberKind.SURCHARGED.value: str(QT_TRANSLATE_NOOP("Texts", "surcharged number")),
    NumberKind.TELEMARKETING.value: str(
        QT_TRANSLATE_NOOP("Texts", "⚠ telemarketing range: probably a canvassing call")
    ),
    NumberKind.PLATFORM.value: str(QT_TRANSLATE_NOOP("Texts", "call platform number")),
}


def number_kind_label(e164: str | None) -> str:
    """What kind of number ``e164`` is, for the agent ("" for an ordinary line)."""
    kind = kind_of(e164)
    return QCoreApplication.translate("Texts", NUMBER_KINDS[kind.value]) if kind else ""
