"""What the form makes of a pasted text, and what every other boundary still refuses."""

from __future__ import annotations

import pytest

from desktop.contacts import ContactData
from desktop.text import cleaned_paste


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("ligne\x0bsuite", "ligne\nsuite"),  # Word's soft line break
        ("a\u2028b\u2029c\x85d\x0ce", "a\nb\nc\nd\ne"),
        ("\x1b[1;31mrouge\x1b[0m", "rouge"),  # a terminal's colours, dropped whole
        ("\x1b]0;titre\x07texte", "texte"),  # a terminal's title sequence
        ("nul\x00 bip\x07 del\x7f", "nul bip del"),
        ("tab\tet\nligne", "tab\tet\nligne"),  # what a person types stays
        ("Décès — 10 h", "Décès — 10 h"),
    ],
)
def test_a_pasted_text_is_cleaned_as_a_person_meant_it(pasted: str, kept: str) -> None:
    assert cleaned_paste(pasted) == kept


def test_a_contact_from_elsewhere_with_a_control_character_is_still_refused() -> None:
    contact = ContactData(caller_name="Mme Durand", notes="a\x0bb")
    assert ("notes", "a control character") in contact.reasons()
