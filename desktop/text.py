"""Text checks shared by every boundary (table packs, contacts from the form or elsewhere)."""

from __future__ import annotations

import re

# C0 control characters but tab and line ends, DEL, and the C1 block: what NUL padding, a
# binary file or a broken copy leaves, or a paste from a terminal, never text a person writes.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
