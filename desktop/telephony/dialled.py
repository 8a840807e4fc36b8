"""The number the caller dialled, read from a rerouted call's SIP headers, by one rule.

After a reroute (the carrier moved the number, the branch's line forwards) the number the
caller dialled is no longer the request URI or To: it survives further up the chain. The
rule, in order:

1. the first History-Info entry (the one whose ``index`` is "1", RFC 7044, else the first
   in the message): where the call began;
2. else the bottom-most Diversion (RFC 5806: each hop adds its own on top);
3. else P-Called-Party-ID (RFC 3455);
4. else To;
5. else the request URI.

Each rule reads one entry. It counts only when its user part is a telephone number
(``sip:``/``sips:`` user, ``tel:`` number; ``+33…``, ``0033…`` or national, with visual
separators): an entry that is a name (``sip:agence@site``) sends the rule on to the next
rule, never to another entry of the same header (an intermediate hop: the wrong branch).
The site proxy's script (desktop.telephony.site_proxy, request-uri mode) applies the same
rule; both are tested against one table of cases (tests/helpers/dialled_cases.py). The
result says which header gave it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

HISTORY_INFO, DIVERSION, CALLED_PARTY, TO, REQUEST_URI = (
    "History-Info",
    "Diversion",
    "P-Called-Party-ID",
    "To",
    "Request-URI",
)
_COMPACT = {"t": "to"}  # SIP's compact header names that matter here
_VISUAL = re.compile(r"[-.()\s]")
_NUMBER = re.compile(r"\+?[0-9]{4,20}")
MAX_HEADER = 8192  # a header longer than this is not read (a hostile INVITE)


@dataclass(frozen=True)
class Dialled:
    number: str  # +33199006881, or the national digits as dialled
    header: str  # which header gave it (one of the five above)
    uri: str  # the URI it was read from


def original_dialled(headers: Iterable[tuple[str, str]], request_uri: str = "") -> Dialled | None:
    """``headers``: (name, value) in the order of the message; ``request_uri``: the INVITE's."""
    by_name: dict[str, list[str]] = {}
    for name, value in headers:
        key = name.strip().lower()
        key = _COMPACT.get(key, key)
        if len(value) <= MAX_HEADER:
            by_name.setdefault(key, []).extend(split_entries(value))
    history = by_name.get("history-info", [])
    began = [entry for entry in history if began_here(entry)][:1] or history[:1]
    candidates = [
        *((HISTORY_INFO, entry) for entry in began),
        *((DIVERSION, entry) for entry in by_name.get("diversion", [])[-1:]),
        *((CALLED_PARTY, entry) for entry in by_name.get("p-called-party-id", [])[:1]),
        *((TO, entry) for entry in by_name.get("to", [])[:1]),
        *(((REQUEST_URI, request_uri),) if request_uri else ()),
    ]
    for header, entry in candidates:
        uri = uri_of(entry)
        number = number_of(uri)
        if number is not None:
            return Dialled(number, header, uri)
    return None


def split_entries(value: str) -> list[str]:
    """A header's comma-separated entries; commas inside <…> or quotes do not split."""
    entries: list[str] = []
    current: list[str] = []
    angle, quoted = 0, False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "<":
            angle += 1
        elif not quoted and char == ">":
            angle = max(0, angle - 1)
        if char == "," and not angle and not quoted:
            entries.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    entries.append("".join(current).strip())
    return [e for e in entries if e]


def began_here(entry: str) -> bool:
    """A History-Info entry of index 1: where the call began."""
    return _index(entry) == (1,)


def _index(entry: str) -> tuple[int, ...]:
    """A History-Info entry's index ("1", "1.1", "1.2.1") as numbers; none sorts last."""
    found = re.search(r";\s*index\s*=\s*([0-9.]+)", _after_uri(entry), re.IGNORECASE)
    if not found:
        return (10**9,)
    return tuple(int(p) for p in found.group(1).split(".") if p.isdigit()) or (10**9,)


def _after_uri(entry: str) -> str:
    return entry[entry.rfind(">") + 1 :] if ">" in entry else entry


def uri_of(entry: str) -> str:
    """The URI of a name-addr (``"Name" <sip:…>;params``) or of a bare addr-spec."""
    start, end = entry.find("<"), entry.rfind(">")
    if 0 <= start < end:
        return entry[start + 1 : end].strip()
    return entry.split(";", 1)[0].strip()  # a bare URI: header params follow a ';'


def number_of(uri: str) -> str | None:
    """The telephone number a sip:, sips: or tel: URI carries, or None."""
    lowered = uri.lower()
    if lowered.startswith("tel:"):
        user = uri[4:].split(";", 1)[0]
    elif lowered.startswith(("sip:", "sips:")):
        rest = uri.split(":", 1)[1]
        if "@" not in rest:
            return None
        user = rest.split("@", 1)[0].split(";", 1)[0]
    else:
        return None
    digits = _VISUAL.sub("", unquote(user))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    return digits if _NUMBER.fullmatch(digits) else None
