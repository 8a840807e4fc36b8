"""One table of rerouted calls and the number each one dialled, for both implementations of
the rule: the seat's (desktop.telephony.dialled) and the site proxy's script (request-uri
mode), each tested against it. ``None`` as the number: the rule falls through to To, the
line the call reached the site on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    headers: tuple[str, ...]  # at most two header lines (what the carrier's SIPp sends)
    number: str | None  # as proxy_key reads it
    via: str


CASES = [
    Case("history-info index 1", (
        "History-Info: <sip:+33199006881@carrier;user=phone>;index=1",
        "History-Info: <sip:0156781234@pabx;cause=302>;index=1.1",
    ), "+33199006881", "History-Info"),
    Case("history-info out of order", (
        "History-Info: <sip:0156781234@pabx;cause=302>;index=1.1",
        "History-Info: <sip:+33199006881@carrier>;index=1",
    ), "+33199006881", "History-Info"),
    Case("history-info without index: the first", (
        "History-Info: <sip:0199006881@carrier>",
        "History-Info: <sip:0156781234@pabx>",
    ), "+33199006881", "History-Info"),
    Case("history-info index 1 is a name: on to To, never to the hop", (
        "History-Info: <sip:agence@carrier>;index=1",
        "History-Info: <sip:0156781234@pabx;cause=302>;index=1.1",
    ), None, "To"),
    Case("history-info index 1 is a name: on to Diversion", (
        "History-Info: <sip:agence@carrier>;index=1",
        "Diversion: <sip:0199006881@pabx>;reason=unconditional",
    ), "+33199006881", "Diversion"),
    Case("the bottom-most diversion", (
        "Diversion: <sip:0156781234@pabx>;reason=no-answer",
        "Diversion: <tel:+33-1-99-00-68-81>;reason=unconditional",
    ), "+33199006881", "Diversion"),
    Case("the bottom-most diversion is a name: on to To, never to the hop", (
        "Diversion: <sip:0156781234@pabx>;reason=no-answer",
        "Diversion: <sip:agence@pabx>;reason=unconditional",
    ), None, "To"),
    Case("the bottom-most diversion is a name: on to P-Called-Party-ID", (
        "Diversion: <sip:agence@pabx>;reason=unconditional",
        "P-Called-Party-ID: <sip:0199006881@ims>",
    ), "+33199006881", "P-Called-Party-ID"),
    Case("p-called-party-id", ("P-Called-Party-ID: <sip:01-99-00-68-81@ims>",),
         "+33199006881", "P-Called-Party-ID"),
    Case("nothing rerouted", (), None, "To"),
]  # fmt: skip


def as_pairs(headers: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(line.split(":", 1)[0], line.split(":", 1)[1].strip()) for line in headers]
