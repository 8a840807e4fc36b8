"""One command line (desktop.cli): every command and action registered one way, its parser
beside its handler; ``--help`` built from the same table, so none is left out."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from desktop.cli import build_parser, registry


def help_of(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as done:
        build_parser().parse_args([*argv, "--help"])
    assert done.value.code == 0
    return out.getvalue()


def test_help_lists_every_command_and_every_action() -> None:
    names = list(registry.COMMANDS)
    assert len(names) >= 30 and {"lookup", "tables import", "clients retire"} <= set(names)
    top = help_of()
    missing = [name for name in names if f"repli {name} " not in top]
    assert missing == []
    for group in {name.split()[0] for name in names if " " in name}:
        shown = help_of(group)
        actions = [c.name.split()[1] for c in registry.actions_of(group)]
        assert actions and all(action in shown for action in actions), (group, shown)


def test_every_command_parses_to_its_own_handler() -> None:
    """``chosen`` finds the handler the arguments name, for an action and for a group that
    has its own (``repli clients`` lists the clients)."""
    parser = build_parser()
    assert registry.chosen(parser.parse_args(["tables", "pull"])).name == "tables pull"
    assert registry.chosen(parser.parse_args(["clients"])).name == "clients"
    assert registry.chosen(parser.parse_args(["lookup", "6881"])).name == "lookup"
    for command in registry.COMMANDS.values():
        has_actions = bool(registry.actions_of(command.name))
        assert command.run is not None or has_actions, command.name


def test_a_command_registered_twice_or_before_its_group_is_refused() -> None:
    run = lambda _d, _a: 0  # noqa: E731
    with pytest.raises(ValueError, match="registered twice"):
        registry.command("lookup", "again")(run)
    with pytest.raises(ValueError, match="group 'nowhere'"):
        registry.command("nowhere action", "orphan")(run)
    assert "nowhere action" not in registry.COMMANDS


def test_a_group_without_its_own_handler_requires_an_action() -> None:
    with contextlib.redirect_stderr(io.StringIO()), pytest.raises(SystemExit) as done:
        build_parser().parse_args(["tables"])
    assert done.value.code == 2
    assert isinstance(build_parser(), argparse.ArgumentParser)
