"""The signed reports' renderings (desktop.failback.files hands them to the Qt layer): the
failback report's (desktop.ui.failback_render) or the site drill report's
(desktop.ui.drill_render), PDF or XLSX made from their JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication


def render(document: dict[str, Any], path: Path, language: str = "fr") -> None:
    """``path`` by its suffix: .pdf or .xlsx. From the command line (no application yet), in
    ``language``; in the window, in the window's."""
    if QGuiApplication.instance() is None:
        from desktop.ui import i18n

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        i18n.install(QGuiApplication([]), language)
    from desktop.ui import drill_render, failback_render
    from desktop.ui.branch_sheets import write_pdf

    drill = str(document.get("schema", "")).startswith("repli.drill-report")
    kind = drill_render if drill else failback_render
    if path.suffix.lower() == ".pdf":
        write_pdf(path, kind.page(document))
    else:
        kind.write_xlsx(document, path)
