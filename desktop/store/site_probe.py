"""Each host of a site store, asked what it is (``repli doctor``, the seat roster): which
one is the leader, whether it replicates synchronously and how far each standby lags."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from desktop.store.site_calls import SEAT_BOUND_S, bounded, describe
from desktop.store.site_url import hosts_of, one_host, problem_of


@dataclass(frozen=True)
class Host:
    address: str
    role: str  # leader | standby | down
    detail: str = ""


@dataclass
class SiteProbe:
    hosts: list[Host]
    standbys: list[str] = field(default_factory=list)  # the leader's word on its standbys
    problems: list[str] = field(default_factory=list)  # refusals: the seat cannot work
    warnings: list[str] = field(default_factory=list)  # what makes a failover go wrong

    @property
    def leader(self) -> Host | None:
        return next((h for h in self.hosts if h.role == "leader"), None)

    def summary(self) -> str:
        roles = ", ".join(f"{h.address} {h.role}" for h in self.hosts)
        return "; ".join([roles, *self.standbys])


# what the leader knows of its standbys (pg_monitor sees it: `repli site config` grants it)
_REPLICATION = text(
    "SELECT application_name, sync_state,"
    " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint"
    " FROM pg_stat_replication"
)


def probe(url: str) -> SiteProbe:
    from desktop.store.engine import make_engine

    addresses = hosts_of(url)
    result = SiteProbe([])
    if problem := problem_of(url):
        result.problems.append(problem)
    for address in addresses:
        single = one_host(url, address)
        engine = make_engine(single)
        try:
            with bounded(engine, SEAT_BOUND_S, backoff=None), engine.connect() as conn:
                standby = bool(conn.scalar(text("SELECT pg_is_in_recovery()")))
                # psycopg's connection: what the server (or a PgBouncer) said at login
                info = getattr(conn.connection.driver_connection, "info", None)
                said = info.parameter_status("in_hot_standby") if info is not None else None
                if (warning := _replayed(address, said, standby)) is not None:
                    result.warnings.append(warning)
                if not standby:
                    replication = conn.execute(_REPLICATION).all()
                    result.standbys = [_standby(*row) for row in replication]
                    if len(addresses) == 1 and replication:
                        result.warnings.append(
                            f"the URL names one host, the site has {len(replication) + 1}: "
                            "a failover will stop this seat; list every host"
                        )
                    if replication and not any(r[1] in ("sync", "quorum") for r in replication):
                        result.warnings.append(
                            "no standby is synchronous: a failover may lose the last transactions"
                        )
            result.hosts.append(Host(address, "standby" if standby else "leader"))
        except SQLAlchemyError as exc:
            result.hosts.append(Host(address, "down", describe(exc, single).text))
        finally:
            engine.dispose()
    if not any(h.role == "leader" for h in result.hosts):
        result.problems.append(f"no writable server among {len(addresses)}")
    return result


def _replayed(address: str, said: str | None, standby: bool) -> str | None:
    """What the host said it was at login (``in_hot_standby``, which each seat's libpq picks
    the writable host by), when it is not what the host is: a PgBouncer replaying what its
    node was when it first connected (pgbouncer/pgbouncer#859)."""
    if said is None or (said == "on") == standby:
        return None
    told = "a standby" if said == "on" else "writable"
    now = "a standby" if standby else "the leader"
    return (
        f"{address} tells the seats at login that it is {told}, but it is {now}: a "
        "PgBouncer replaying an old answer (Patroni's callbacks run pgbouncer-follow.sh? "
        "docs/site.md); seats will be refused there until it asks again (RECONNECT)"
    )


def _standby(name: str, state: str | None, lag: int | None) -> str:
    if state is None:
        return f"standby {name}: not visible to this role (grant pg_monitor)"
    behind = "?" if lag is None else f"{lag} B behind"
    return f"standby {name}: {state}, {behind}"
