"""The backup site's SIP proxy (Kamailio), as Repli configures it.

``repli telephony site-proxy`` writes a Kamailio 5.6 configuration for a site: where it
listens, and for each number the carrier or the client's PABX sends calls to (the line),
the seat's SIP address and, optionally, the seat's Repli. For each new call the proxy
forwards the INVITE to the seat at once. Two modes:

- ``notify`` (a): on its own timer (mqueue + rtimer: never on the call's path) the proxy
  tells the seat's Repli about the call: the Call-ID, the caller, and the raw History-Info,
  Diversion, P-Called-Party-ID, To and request URI, form-encoded (Kamailio 5.6 cannot escape
  JSON). The seat applies the dialled-number rule itself (desktop.telephony.dialled). A BYE or
  a CANCEL tells it the call ended.
- ``request-uri`` (b): the proxy applies the rule in its own script and writes the number
  dialled into the request URI's user, spelled as the seat's softphone account for it is
  (the ``numbers`` list), so a seat that only listens to its softphone (one account per
  number) pops the right branch unchanged. A number with no account leaves the call on the
  seat's line: a softphone answers 404 to a user it has no account for, and a call must never
  fail because of Repli. Seats given a Repli URL and token are also notified.

The script's reading of a number (``proxy_key``) is mirrored here, so the table of accounts
is keyed the way the script looks it up. A seat's Repli that is down or slow costs the call
nothing: a notification waits at most ``NOTIFY_TIMEOUT_S`` on the timer's process, then is
dropped; a seat that made it wait so is left out for ``down_for`` seconds (its notifications
dropped at once), so that one hung seat holds up the others' by one timeout at most.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from desktop.files import read_regular, write_output
from desktop.phone import canonical

NOTIFY_TIMEOUT_S = 1
DOWN_FOR_S = 10
NOTIFY, REQUEST_URI = "notify", "request-uri"
MODES = (NOTIFY, REQUEST_URI)
MAX_NUMBERS = 5000  # softphone accounts of a site in request-uri mode
_USER = re.compile(r"\+?[0-9]{4,20}")
_VISUAL = re.compile(r"[-. ()]")
_TOKEN = re.compile(r"[A-Za-z0-9._~-]{8,200}")
_SIP_URI = re.compile(
    r"sips?:[A-Za-z0-9._+-]{1,64}@(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?"
)
# the seat's Repli: http://HOST[:PORT]/v1/call-events and nothing more (no user, query or
# fragment); a host name, an IPv4 address or a bracketed IPv6 one
_NOTIFY_URL = re.compile(
    r"http://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])"
    r"(?::[0-9]{1,5})?/v1/call-events"
)
# what may stand between the quotes of a Kamailio string: printable ASCII, no quote or
# backslash (a value outside it is refused before the file is written, whatever checked it)
_KAMAILIO_STRING = re.compile(r"[ !#-\[\]-~]*")


class ProxyConfigError(ValueError):
    pass


@dataclass(frozen=True)
class SeatRoute:
    number: str  # the request URI's user the calls arrive with (the seat's line)
    sip_uri: str  # where the proxy forwards them: sip:seat1@10.0.0.21:5060
    notify_url: str = ""  # the seat's Repli: http://10.0.0.21:47811/v1/call-events
    token: str = ""  # that seat's screen-pop token

    @property
    def notifies(self) -> bool:
        return bool(self.notify_url)

    @classmethod
    def parse(cls, text: str) -> SeatRoute:
        """``NUMBER=SIP-URI,NOTIFY-URL,TOKEN``, or ``NUMBER=SIP-URI`` (a seat whose Repli
        the proxy does not notify: request-uri mode only)."""
        number, equals, rest = text.partition("=")
        parts = [part.strip() for part in rest.split(",")]
        if not equals or len(parts) not in (1, 3):
            raise ProxyConfigError(f"{text!r}: expected NUMBER=SIP-URI[,NOTIFY-URL,TOKEN]")
        route = cls(number.strip(), *parts)
        route.check()
        return route

    def check(self) -> None:
        if not _USER.fullmatch(self.number):
            raise ProxyConfigError(f"{self.number!r}: the line's number, digits (and a +)")
        if not _SIP_URI.fullmatch(self.sip_uri) or not _port_ok(self.sip_uri):
            raise ProxyConfigError(f"{self.sip_uri!r}: a sip: URI of the seat, user@host[:port]")
        if not self.notifies:
            return
        if not _NOTIFY_URL.fullmatch(self.notify_url) or not _port_ok(self.notify_url):
            raise ProxyConfigError(
                f"{self.notify_url!r}: the seat's http://ADDRESS:PORT/v1/call-events, "
                "nothing more (no query, fragment, user or other character)"
            )
        if not _TOKEN.fullmatch(self.token):
            raise ProxyConfigError("a seat's token is 8 to 200 URL-safe characters")


def _port_ok(uri: str) -> bool:
    """The port of a URI, when it has one, is 1 to 65535."""
    found = re.search(r":([0-9]{1,5})(?:/|$)", uri.rsplit("]", 1)[-1])
    return found is None or 0 < int(found.group(1)) < 65536


def _quoted(value: str) -> str:
    """``value`` between the double quotes of a Kamailio string: refused unless it is plain
    printable ASCII with no quote or backslash (the shapes above already hold them)."""
    if not _KAMAILIO_STRING.fullmatch(value):
        raise ProxyConfigError(f"{value[:60]!r}: not a value the proxy's file can hold")
    return f'"{value}"'


def proxy_key(user: str) -> str | None:
    """How the script reads a URI's user as a number (route KEY, after route NUMBER): the
    visual separators dropped, ``00`` read as ``+``, France's national and 33-prefixed forms
    as +33. None when it is no number."""
    digits = _VISUAL.sub("", user)
    if not _USER.fullmatch(digits):
        return None
    if digits.startswith("00"):
        return "+" + digits[2:]
    if re.fullmatch(r"0[1-9][0-9]{8}", digits):
        return "+33" + digits[1:]
    if re.fullmatch(r"33[0-9]{9}", digits):
        return "+" + digits
    return digits


def accounts_table(numbers: list[str]) -> dict[str, str]:
    """Every reading of each account's number (E.164, 00…, national, for an overseas one
    also +33 and its national digits) → the account's spelling, to put in the request URI."""

    if len(numbers) > MAX_NUMBERS:
        raise ProxyConfigError(f"{len(numbers)} numbers: at most {MAX_NUMBERS}")
    table: dict[str, str] = {}
    for account in numbers:
        found = canonical(account, "FR") if _USER.fullmatch(account) else None
        if found is None:
            raise ProxyConfigError(
                f"{account!r}: a softphone account's number, digits (and a +), as it is spelled"
            )
        spellings = (account, found.e164, "00" + found.e164[1:], found.e164[1:], found.dialling)
        for key in filter(None, map(proxy_key, spellings)):
            if table.setdefault(key, account) != account:
                raise ProxyConfigError(f"{account} and {table[key]}: two accounts for {key}")
    return table


def _key(value: str) -> str:
    """An htable key: a number (``+`` and digits) and nothing else."""
    if not re.fullmatch(r"\+?[0-9]{1,20}", value):
        raise ProxyConfigError(f"{value[:60]!r}: not a number the proxy's file can hold")
    return value


NUMBERS_FILE_LIMIT = 1_000_000


def read_numbers(path: Path) -> list[str]:
    """A numbers file: one account number per line, ``#`` comments and blank lines skipped;
    a regular file within a bound (a FIFO once made the command wait for ever)."""

    try:
        lines = read_regular(path, NUMBERS_FILE_LIMIT).decode("utf-8").splitlines()
    except OSError as exc:
        raise ProxyConfigError(f"{path}: {exc.strerror}" if exc.strerror else str(exc)) from None
    except UnicodeDecodeError:
        raise ProxyConfigError(f"{path}: not UTF-8 text") from None
    found = [line.split("#", 1)[0].strip() for line in lines]
    return [number for number in found if number]


def render(
    listen: str,
    seats: list[SeatRoute],
    mode: str = NOTIFY,
    numbers: list[str] | None = None,
    down_for: int = DOWN_FOR_S,
) -> str:
    """The Kamailio configuration text."""
    host, _sep, port = listen.rpartition(":")
    try:
        ipaddress.ip_address(host)
        port_number = int(port)
    except ValueError:
        raise ProxyConfigError(f"{listen!r}: listen on ADDRESS:PORT") from None
    if not 0 < port_number < 65536 or not seats:
        raise ProxyConfigError("a port, and at least one seat, are needed")
    lines = [s.number for s in seats]
    if len(set(lines)) != len(lines):
        raise ProxyConfigError("two seats for the same number")
    if not 1 <= down_for <= 3600:
        raise ProxyConfigError(f"{down_for}: a seat is left out 1 to 3600 seconds")
    if mode not in MODES:
        raise ProxyConfigError(f"{mode!r}: the mode is {' or '.join(MODES)}")
    if mode == NOTIFY and not all(s.notifies for s in seats):
        raise ProxyConfigError("in notify mode every seat needs its Repli's URL and token")
    if mode == REQUEST_URI and not numbers:
        raise ProxyConfigError("request-uri mode needs the softphones' account numbers")
    accounts = accounts_table(numbers or []) if mode == REQUEST_URI else {}
    for seat in seats:  # a route made without parse() is checked all the same
        seat.check()
    tables = [
        f"    $sht(seat=>{_key(s.number)}) = {_quoted(s.sip_uri)};"
        + (
            f"\n    $sht(notify=>{_key(s.number)}) = {_quoted(s.notify_url)};"
            f"\n    $sht(token=>{_key(s.number)}) = {_quoted(s.token)};"
            if s.notifies
            else ""
        )
        for s in seats
    ]
    tables += [f"    $sht(account=>{_key(key)}) = {_quoted(a)};" for key, a in accounts.items()]
    return (
        TEMPLATE.replace("@LISTEN@", f"udp:{host}:{port_number}")
        .replace("@MODE@", mode)
        .replace("@SEATS@", "\n".join(tables))
        .replace("@ACCOUNTS_SIZE@", str(max(4, (2 * len(accounts)).bit_length())))
        .replace("@REWRITE@", "    route(REWRITE);\n" if mode == REQUEST_URI else "")
        .replace("@TIMEOUT@", str(NOTIFY_TIMEOUT_S))
        .replace("@DOWN_FOR@", str(down_for))
    )


def write(
    path: Path,
    listen: str,
    seats: list[SeatRoute],
    mode: str = NOTIFY,
    numbers: list[str] | None = None,
    down_for: int = DOWN_FOR_S,
) -> Path:
    """Written readable by its owner only: it holds the seats' tokens."""
    text = render(listen, seats, mode, numbers, down_for)
    return write_output(path, text.encode("ascii"), mode=0o600)


TEMPLATE = r"""#!KAMAILIO
# The backup site's SIP proxy, written by `repli telephony site-proxy` (docs/telephony.md),
# mode @MODE@. Each new call goes to its seat at once; a seat's Repli is told about it on a
# timer, so a seat whose Repli is down or slow delays no call.

debug=2
log_stderror=yes
children=2
disable_tcp=yes
auto_aliases=no
listen=@LISTEN@

loadmodule "tm.so"
loadmodule "tmx.so"
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
modparam("htable", "htable", "account=>size=@ACCOUNTS_SIZE@;")
modparam("htable", "htable", "calls=>size=10;autoexpire=14400;")
modparam("htable", "htable", "down=>size=8;autoexpire=@DOWN_FOR@;")
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
        # the caller hung up while it rang: the seat's Repli hears the call ended
        if (t_check_trans()) {
            route(ENDED);
            t_relay();
        }
        exit;
    }
    if (t_precheck_trans()) {
        # a retransmitted INVITE: its transaction answers it, nothing is told twice
        t_check_trans();
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
    $sht(calls=>$ci) = $var(line);
    if ($sht(notify=>$var(line)) != $null) {
        route(TELL);
    }
    $ru = $sht(seat=>$var(line));
@REWRITE@    if (!t_relay()) {
        sl_reply_error();
    }
    exit;
}

route[TELL] {
    $var(body) = "event=ringing&at=" + $TV(Sn) + "&call_id=" + $(ci{s.urlencode.param})
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
    mq_add("notify", "$var(line)", "$var(body)");
}

# request-uri mode: the rule of desktop/telephony/dialled.py, then the seat's softphone
# account for that number as the request URI's user; none, and the call stays on the line
route[REWRITE] {
    route(DIALLED);
    if ($var(number) == "") {
        return;
    }
    route(KEY);
    if ($sht(account=>$var(key)) != $null) {
        $rU = $sht(account=>$var(key));
        xlog("L_INFO", "call $ci: dialled $var(number) ($var(via)), to account $rU\n");
    } else {
        xlog("L_WARN", "call $ci: dialled $var(number) ($var(via)) has no softphone account: on the line\n");
    }
}

route[DIALLED] {
    $var(number) = "";
    $var(via) = "";
    if ($hdr(History-Info) != $null) {
        $var(all) = $(hdr(History-Info)[*]);
        $var(uri) = $(var(all){re.subst,/.*<([^>]*)>[^,<]*;[ ]*index=1([^.0-9].*)?/\1/});
        if ($var(uri) == $var(all)) {
            $var(uri) = $(var(all){re.subst,/^[^<]*<([^>]*)>.*/\1/});
        }
        route(NUMBER);
        if ($var(number) != "") {
            $var(via) = "History-Info";
            return;
        }
    }
    if ($hdr(Diversion) != $null) {
        $var(all) = $(hdr(Diversion)[*]);
        $var(uri) = $(var(all){re.subst,/.*<([^>]*)>.*/\1/});
        route(NUMBER);
        if ($var(number) != "") {
            $var(via) = "Diversion";
            return;
        }
    }
    if ($hdr(P-Called-Party-ID) != $null) {
        $var(all) = $hdr(P-Called-Party-ID);
        $var(uri) = $(var(all){re.subst,/^[^<]*<([^>]*)>.*/\1/});
        route(NUMBER);
        if ($var(number) != "") {
            $var(via) = "P-Called-Party-ID";
            return;
        }
    }
    $var(uri) = $tu;
    route(NUMBER);
    if ($var(number) != "") {
        $var(via) = "To";
        return;
    }
    $var(uri) = $ou;
    route(NUMBER);
    if ($var(number) != "") {
        $var(via) = "Request-URI";
    }
}

route[NUMBER] {
    $var(number) = "";
    if ($var(uri) =~ "^(sips?|tel):") {
        $var(user) = $(var(uri){uri.user}{re.subst,/[-. ()]//g});
        if ($var(user) =~ "^[+]?[0-9]{4,20}$") {
            $var(number) = $var(user);
        }
    }
}

# the number as proxy_key() reads it in desktop/telephony/site_proxy.py
route[KEY] {
    $var(key) = $var(number);
    if ($var(key) =~ "^00") {
        $var(key) = "+" + $(var(key){s.substr,2,0});
    } else if ($var(key) =~ "^0[1-9][0-9]{8}$") {
        $var(key) = "+33" + $(var(key){s.substr,1,0});
    } else if ($var(key) =~ "^33[0-9]{9}$") {
        $var(key) = "+" + $var(key);
    }
}

route[ENDED] {
    $var(line) = $sht(calls=>$ci);
    if ($var(line) != $null) {
        if ($sht(notify=>$var(line)) != $null) {
            $var(body) = "event=ended&at=" + $TV(Sn) + "&call_id=" + $(ci{s.urlencode.param});
            mq_add("notify", "$var(line)", "$var(body)");
        }
        $sht(calls=>$ci) = $null;
    }
}

route[NOTIFY] {
    while (mq_fetch("notify")) {
        if ($sht(down=>$mqk(notify)) != $null) {
            xlog("L_WARN", "seat $mqk(notify) left out (it did not answer): notification dropped\n");
        } else {
            route(TOLD);
        }
    }
}

route[TOLD] {
    $var(url) = $sht(notify=>$mqk(notify));
    $var(hdrs) = "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Bearer "
        + $sht(token=>$mqk(notify));
    $var(start) = $TV(sn);
    $var(code) = http_client_query("$var(url)", "$mqv(notify)", "$var(hdrs)", "$var(answer)");
    xlog("L_INFO", "seat $mqk(notify) told: $var(code)\n");
    if ($var(code) < 100 && $TV(sn) - $var(start) >= 1) {
        # it made the queue wait: left out a while, so that it holds up no other seat
        $sht(down=>$mqk(notify)) = 1;
        xlog("L_WARN", "seat $mqk(notify) did not answer in @TIMEOUT@ s: left out @DOWN_FOR@ s\n");
    }
}
"""
