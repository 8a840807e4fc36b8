"""The backup site's SIP proxy (Kamailio), as Repli configures it.

``repli telephony site-proxy`` writes a Kamailio 5.6 configuration for a site: where it
listens, and for each number the carrier or the client's PABX sends calls to, the seat's
SIP address and the seat's Repli. For each new call the proxy forwards the INVITE to the
seat at once and, on its own timer (mqueue + rtimer: never on the call's path), tells that
seat's Repli about it: the Call-ID, the caller, and the raw History-Info, Diversion,
P-Called-Party-ID, To and request URI, form-encoded (Kamailio 5.6 cannot escape JSON). The
seat applies the dialled-number rule itself (desktop.telephony.dialled), so there is one
rule, tested once. A BYE tells it the call ended. A seat's Repli that is down or slow costs
the call nothing: the notification waits at most ``NOTIFY_TIMEOUT_S`` on the timer's
process and is then dropped.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop.files import write_atomically

NOTIFY_TIMEOUT_S = 2
_USER = re.compile(r"\+?[0-9]{4,20}")
_TOKEN = re.compile(r"[A-Za-z0-9._~-]{8,200}")


class ProxyConfigError(ValueError):
    pass


@dataclass(frozen=True)
class SeatRoute:
    number: str  # the request URI's user the calls arrive with (the seat's line)
    sip_uri: str  # where the proxy forwards them: sip:seat1@10.0.0.21:5060
    notify_url: str  # the seat's Repli: http://10.0.0.21:47811/v1/call-events
    token: str  # that seat's screen-pop token

    @classmethod
    def parse(cls, text: str) -> SeatRoute:
        """``NUMBER=SIP-URI,NOTIFY-URL,TOKEN`` (the command line's form)."""
        try:
            number, rest = text.split("=", 1)
            sip_uri, notify_url, token = (part.strip() for part in rest.split(","))
        except ValueError:
            raise ProxyConfigError(f"{text!r}: expected NUMBER=SIP-URI,NOTIFY-URL,TOKEN") from None
        route = cls(number.strip(), sip_uri, notify_url, token)
        route.check()
        return route

    def check(self) -> None:
        if not _USER.fullmatch(self.number):
            raise ProxyConfigError(f"{self.number!r}: the line's number, digits (and a +)")
        if not re.fullmatch(r"sips?:[A-Za-z0-9._+-]+@[A-Za-z0-9.:\[\]-]+", self.sip_uri):
            raise ProxyConfigError(f"{self.sip_uri!r}: a sip: URI of the seat, user@host[:port]")
        url = urlsplit(self.notify_url)
        if url.scheme != "http" or not url.hostname or url.path != "/v1/call-events":
            raise ProxyConfigError(
                f"{self.notify_url!r}: the seat's http://ADDRESS:PORT/v1/call-events"
            )
        if not _TOKEN.fullmatch(self.token):
            raise ProxyConfigError("a seat's token is 8 to 200 URL-safe characters")


def render(listen: str, seats: list[SeatRoute]) -> str:
    """The Kamailio configuration text."""
    host, _sep, port = listen.rpartition(":")
    try:
        ipaddress.ip_address(host)
        port_number = int(port)
    except ValueError:
        raise ProxyConfigError(f"{listen!r}: listen on ADDRESS:PORT") from None
    if not 0 < port_number < 65536 or not seats:
        raise ProxyConfigError("a port, and at least one seat, are needed")
    numbers = [s.number for s in seats]
    if len(set(numbers)) != len(numbers):
        raise ProxyConfigError("two seats for the same number")
    tables = "\n".join(
        f'    $sht(seat=>{s.number}) = "{s.sip_uri}";\n'
        f'    $sht(notify=>{s.number}) = "{s.notify_url}";\n'
        f'    $sht(token=>{s.number}) = "{s.token}";'
        for s in seats
    )
    return (
        TEMPLATE.replace("@LISTEN@", f"udp:{host}:{port_number}")
        .replace("@SEATS@", tables)
        .replace("@TIMEOUT@", str(NOTIFY_TIMEOUT_S))
    )


def write(path: Path, listen: str, seats: list[SeatRoute]) -> Path:
    """Written readable by its owner only: it holds the seats' tokens."""
    return write_atomically(path, render(listen, seats).encode("ascii"), mode=0o600)


TEMPLATE = r"""#!KAMAILIO
# The backup site's SIP proxy, written by `repli telephony site-proxy` (docs/telephony.md).
# Each new call goes to its seat at once; the seat's Repli is told about it on a timer, so a
# seat whose Repli is down or slow delays no call.

debug=2
log_stderror=yes
children=2
disable_tcp=yes
auto_aliases=no
listen=@LISTEN@

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "htable.so"
loadmodule "mqueue.so"
loadmodule "rtimer.so"
loadmodule "http_client.so"

modparam("htable", "htable", "seat=>size=8;")
modparam("htable", "htable", "notify=>size=8;")
modparam("htable", "htable", "token=>size=8;")
modparam("htable", "htable", "calls=>size=10;autoexpire=14400;")
modparam("mqueue", "mqueue", "name=notify;size=10000")
modparam("rtimer", "timer", "name=notify;interval=20000u;mode=1;")
modparam("rtimer", "exec", "timer=notify;route=NOTIFY")
modparam("http_client", "connection_timeout", @TIMEOUT@)

event_route[htable:mod-init] {
@SEATS@
}

request_route {
    if (!mf_process_maxfwd_header("10")) {
        sl_send_reply("483", "Too Many Hops");
        exit;
    }
    if (has_totag()) {
        # within a call this proxy set up (Record-Route, or a peer that drops it)
        if (loose_route() || $sht(calls=>$ci) != $null) {
            if (is_method("BYE")) {
                route(ENDED);
            }
            t_relay();
            exit;
        }
        if (is_method("ACK")) {
            if (t_check_trans()) {
                t_relay();
            }
            exit;
        }
        sl_send_reply("404", "Not here");
        exit;
    }
    if (is_method("CANCEL")) {
        if (t_check_trans()) {
            t_relay();
        }
        exit;
    }
    if (!is_method("INVITE")) {
        sl_send_reply("405", "Method Not Allowed");
        exit;
    }
    $var(line) = $rU;
    if ($sht(seat=>$var(line)) == $null) {
        xlog("L_WARN", "no seat for $rU (call $ci)\n");
        sl_send_reply("404", "No seat for this number");
        exit;
    }
    record_route();
    $var(body) = "event=ringing&call_id=" + $(ci{s.urlencode.param})
        + "&sip_request_uri=" + $(ru{s.urlencode.param})
        + "&sip_to=" + $(hdr(To){s.urlencode.param});
    if ($fU != $null) {
        $var(body) = $var(body) + "&caller=" + $(fU{s.urlencode.param});
    }
    if ($hdr(History-Info) != $null) {
        $var(body) = $var(body) + "&sip_history_info=" + $(hdr(History-Info)[*]{s.urlencode.param});
    }
    if ($hdr(Diversion) != $null) {
        $var(body) = $var(body) + "&sip_diversion=" + $(hdr(Diversion)[*]{s.urlencode.param});
    }
    if ($hdr(P-Called-Party-ID) != $null) {
        $var(body) = $var(body) + "&sip_p_called_party_id=" + $(hdr(P-Called-Party-ID){s.urlencode.param});
    }
    $sht(calls=>$ci) = $var(line);
    mq_add("notify", "$var(line)", "$var(body)");
    $ru = $sht(seat=>$var(line));
    if (!t_relay()) {
        sl_reply_error();
    }
    exit;
}

route[ENDED] {
    $var(line) = $sht(calls=>$ci);
    if ($var(line) != $null) {
        $var(body) = "event=ended&call_id=" + $(ci{s.urlencode.param});
        mq_add("notify", "$var(line)", "$var(body)");
        $sht(calls=>$ci) = $null;
    }
}

route[NOTIFY] {
    while (mq_fetch("notify")) {
        $var(url) = $sht(notify=>$mqk(notify));
        $var(hdrs) = "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Bearer "
            + $sht(token=>$mqk(notify));
        $var(code) = http_client_query("$var(url)", "$mqv(notify)", "$var(hdrs)", "$var(answer)");
        xlog("L_INFO", "seat $mqk(notify) told: $var(code)\n");
    }
}
"""
