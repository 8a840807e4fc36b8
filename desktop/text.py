"""Text checks shared by every boundary (table packs, contacts from the form or elsewhere)."""

from __future__ import annotations

import re

# C0 control characters but tab and line ends, DEL, and the C1 block: what NUL padding, a
# binary file or a broken copy leaves, or a paste from a terminal, never text a person writes.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# What a pasted text may hold in place of a line break: Word's soft break (U+000B), a form
# feed, the Unicode line and paragraph separators, NEL.
_LINE_BREAKS = re.compile("[\x0b\x0c\u2028\u2029\x85]")
# A terminal's escape sequences (colours, cursor moves), dropped whole, not just their ESC.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def cleaned_paste(text: str) -> str:
    """``text`` as a person meant it: the line-break look-alikes made line breaks, escape
    sequences and other control characters dropped. Only the form cleans (what the agent
    pastes); every other boundary refuses a control character, naming the field."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPES.sub("", text)
    return CONTROL_CHARACTERS.sub("", text)
