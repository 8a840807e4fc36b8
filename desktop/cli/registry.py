"""Every ``repli`` command registered one way (as Electrum's ``@command``): its name, its
help, its arguments declared beside its handler. The parser, ``--help`` and the dispatch are
all built from this one table (desktop.cli), so no command can be left out of any of them.

    @command("tables pull", "check tables_source now, activate")
    def pull(data_dir: str | None, args: argparse.Namespace) -> int: ...

A name of two words is an action of the group named by the first (``group("tables", …)``);
a group with its own handler runs it when no action is given (``repli clients``).
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[str | None, argparse.Namespace], int]


@dataclass(frozen=True)
class Arg:
    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    """One argument, as ``ArgumentParser.add_argument`` takes it."""
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    name: str  # "lookup", "tables", "tables import"
    help: str
    arguments: tuple[Arg, ...]
    run: Handler | None  # None: a group whose action must be given


COMMANDS: dict[str, Command] = {}


def _register(name: str, help: str, arguments: tuple[Arg, ...], run: Handler | None) -> None:
    group, _, _action = name.rpartition(" ")
    if name in COMMANDS:
        raise ValueError(f"repli {name} is registered twice")
    if group and group not in COMMANDS:
        raise ValueError(f"repli {name}: its group {group!r} is not registered before it")
    COMMANDS[name] = Command(name, help, arguments, run)


def command(name: str, help: str, *arguments: Arg) -> Callable[[Handler], Handler]:
    """Register the decorated function as ``repli NAME``."""

    def register(run: Handler) -> Handler:
        _register(name, help, arguments, run)
        return run

    return register


def group(name: str, help: str, *arguments: Arg, run: Handler | None = None) -> None:
    """A command of several actions; ``run``: what it does with none."""
    _register(name, help, arguments, run)


def actions_of(name: str) -> list[Command]:
    return [c for c in COMMANDS.values() if c.name.rpartition(" ")[0] == name]


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """Every registered command and action into ``parser`` (``args.command``, ``args.action``)."""
    levels = {"": parser.add_subparsers(dest="command", metavar="COMMAND")}
    for cmd in listed():
        group_name, _, leaf = cmd.name.rpartition(" ")
        sub = levels[group_name].add_parser(
            leaf, parents=[common], help=cmd.help, description=cmd.help
        )
        for a in cmd.arguments:
            sub.add_argument(*a.flags, **a.options)
        if actions_of(cmd.name):
            levels[cmd.name] = sub.add_subparsers(
                dest="action", metavar="ACTION", required=cmd.run is None
            )


def chosen(args: argparse.Namespace) -> Command:
    """The command the parsed arguments name."""
    action = getattr(args, "action", None)
    return COMMANDS[f"{args.command} {action}" if action else args.command]


def listed() -> list[Command]:
    """By name: a group before its actions, the same order wherever they are shown."""
    return [COMMANDS[name] for name in sorted(COMMANDS)]


def listing(width: int = 100) -> str:
    """Every command and action with its help, for ``repli --help``."""
    column = max(len(name) for name in COMMANDS) + 10
    return "\n".join(
        textwrap.fill(
            f"  repli {c.name:<{column - 8}}{c.help}",
            width,
            subsequent_indent=" " * column,
        )
        for c in listed()
    )
