"""What a site store's URL says: its hosts (psycopg's multi-host form, one ``host=`` each) and
whether it asks for the writable one. No SQLAlchemy here: the config reads it at start."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit


def hosts_of(url: str) -> list[str]:
    """``host:port`` of the URL's authority, then of every ``host=`` of its query."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    found = [h for value in query.get("host", []) for h in value.split(",") if h]
    if parts.hostname:
        found.insert(0, f"{parts.hostname}:{parts.port or 5432}")
    return found


def asks_writable(url: str) -> bool:
    return parse_qs(urlsplit(url).query).get("target_session_attrs") == ["read-write"]


def problem_of(url: str) -> str:
    """Why a site URL is refused ("" when it is not): several hosts without asking for the
    writable one would write to a standby half the time (refused), or to any of them."""
    if len(hosts_of(url)) > 1 and not asks_writable(url):
        return (
            "several hosts without target_session_attrs=read-write: add it, or a seat may "
            "connect to a standby"
        )
    return ""


def one_host(url: str, host: str) -> str:
    """The URL on ``host`` alone (``doctor`` probes each), asking for any server."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, values in parse_qs(parts.query).items()
        for v in values
        if k not in ("host", "target_session_attrs")
    ]
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit((parts.scheme, user + host, parts.path, urlencode(query), ""))
