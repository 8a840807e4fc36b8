"""Python's own ``import`` put back after PySide6 replaced it.

Loading PySide6 wraps ``builtins.__import__`` for its ``from __feature__ import snake_case``
(and ``true_property``) switches: after each import of a module not seen before, the wrapper
reads that module's whole source to see whether it names PySide6 (PYSIDE-2029). Repli selects
no feature, and a module the wrapper never saw is treated as selecting none
(``getFeatureSelectId`` in PySide's ``feature_select.cpp``), so the wrapper only costs: 12 to
20 ms of the ~90 ms the agent window's modules take to import before its first frame
(``docs/performance.md``). It is undone once, here, when PySide6 left the original where it
says it did; another PySide6 that does not is left as it is.
"""

from __future__ import annotations

import builtins

import PySide6.QtCore  # noqa: F401  (the wrapper is installed as PySide6 loads)

_original = getattr(builtins, "__orig_import__", None)
if callable(_original) and builtins.__import__ is getattr(builtins, "__feature_import__", None):
    builtins.__import__ = _original
