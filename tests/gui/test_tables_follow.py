"""Tables that follow the primary, in the window: a pack published while the agent types is
staged at once and activated only once the contact is saved; the contact records the pack it
was logged with, the next one the new pack; the window says so once."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.tables.signed import sign_pack
from desktop.tables.signing import write_key_pair
from tests.gui.conftest import Opener, press, type_text
from tests.gui.test_agent_call import saved_contacts
from tests.helpers.cli import repli

CTRL = Qt.KeyboardModifier.ControlModifier


def follow_share(data_dir: Path, tmp_path: Path, public: Path) -> Path:
    """The seat follows a share, trusting ``public`` (in the PC-wide file, as it must)."""
    share = tmp_path / "share"
    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    system.parent.mkdir(parents=True, exist_ok=True)
    line = public.read_text().splitlines()[-1]
    system.write_text(f'tables_public_keys = ["{line}"]\n', encoding="utf-8")
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(f'tables_source = "{share}"\ntables_check_every = 3600\n')
    return share


def test_a_pack_published_mid_contact_is_activated_after_the_save(
    open_window: Opener, qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    import shutil

    from tests.conftest import DEMO_PACK

    secret, public = write_key_pair(tmp_path / "keys")
    share = follow_share(data_dir, tmp_path, public)
    window = open_window()
    assert window.tables is not None and window.tables.info.serial is None  # the demo
    follower = window.services.tables_follower
    assert follower is not None

    # the agent is typing a contact when the primary publishes
    type_text(qtbot, "6881")
    pack = tmp_path / "primary"
    shutil.copytree(DEMO_PACK, pack)
    sign_pack(pack, secret, serial=30, version="2026.12-primaire")
    assert repli(tmp_path, "tables", "publish", str(pack), str(share)).returncode == 0
    follower.check()
    qtbot.waitUntil(lambda: follower.state is not None and follower.state.staged_serial == 30)
    # the window heard it was staged, and nothing it started is still on its way
    qtbot.waitUntil(lambda: window.services.tables_waiting and not window.ops.busy)
    assert window.tables.info.serial is None  # staged, not under the agent's hands
    assert "30" not in window.status.tables_label.text()

    press(qtbot, Qt.Key.Key_F6)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: window.tables is not None and window.tables.info.serial == 30)
    (first,) = saved_contacts(window)
    assert first.tables_version == "Réseau démo 2026.11-demo"  # the pack it was taken with
    assert "2026.12-primaire" in window.status.tables_label.text()
    assert "Tables mises à jour depuis le site principal" in window.notice.text()
    assert "DÉMONSTRATION" not in window.notice.text()  # the primary's tables replaced the demo
    assert window.page.contact.tables_version.endswith("2026.12-primaire")

    # the next contact is logged with the new pack
    type_text(qtbot, "6881")
    press(qtbot, Qt.Key.Key_F6)
    type_text(qtbot, "0612345679")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: len(saved_contacts(window)) == 2 and not window.page.saving)
    assert saved_contacts(window)[1].tables_version.endswith("2026.12-primaire")
    assert "vérifiées à l’instant" in window.status.tables_label.text()


def test_a_refused_pack_is_said_with_its_reason_in_the_status_bar(
    open_window: Opener, qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    """The status bar said only "dernier jeu refusé (repli doctor)"."""
    import shutil

    from tests.conftest import DEMO_PACK

    secret, _public = write_key_pair(tmp_path / "keys")
    _other, other_public = write_key_pair(tmp_path / "other")  # the seat trusts another key
    share = follow_share(data_dir, tmp_path, other_public)
    window = open_window()
    follower = window.services.tables_follower
    assert follower is not None
    pack = tmp_path / "primary"
    shutil.copytree(DEMO_PACK, pack)
    sign_pack(pack, secret, serial=31, version="2026.12-inconnu")
    assert repli(tmp_path, "tables", "publish", str(pack), str(share)).returncode == 0
    follower.check()
    qtbot.waitUntil(lambda: "dernier jeu refusé" in window.status.tables_label.text())
    label = window.status.tables_label
    assert "unknown key" in label.text()  # the reason itself, not "see repli doctor"
    assert "unknown key" in label.toolTip() and label.toolTip() == label.accessibleDescription()
