"""Open or closed by the branch's own clock and public holidays, at fixed instants: the seat's
clock, the seat's time zone and today's date play no part."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop import hours, places
from desktop.places import Place

HOURS = "Mo-Fr 08:00-12:00,14:00-17:00; PH off"
PARIS = Place("Europe/Paris", "FR")
REUNION = Place("Indian/Reunion", "RE")
CAYENNE = Place("America/Cayenne", "GF")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_branch_clock_decides_not_the_seat_clock() -> None:
    # Tuesday 1 December 2026, 07:00 UTC: 08:00 in Paris, 11:00 in La Réunion, 04:00 in Cayenne
    instant = at("2026-12-01T07:00:00+00:00")
    assert hours.state_at(HOURS, instant, PARIS).is_open
    reunion = hours.state_at(HOURS, instant, REUNION)
    assert reunion.is_open and reunion.next_change == at("2026-12-01T12:00:00+04:00")
    cayenne = hours.state_at(HOURS, instant, CAYENNE)
    assert not cayenne.is_open and cayenne.next_change == at("2026-12-01T08:00:00-03:00")
    assert cayenne.local_now == at("2026-12-01T04:00:00-03:00")


def test_the_same_instant_in_any_seat_time_zone_gives_the_same_answer() -> None:
    instant = at("2026-12-01T13:10:00+00:00")  # 17:10 in La Réunion: closed
    for seat_zone in ("UTC", "Europe/Paris", "America/Cayenne", "Pacific/Kiritimati"):
        local_seat = instant.astimezone(ZoneInfo(seat_zone))
        state = hours.state_at(HOURS, local_seat, REUNION)
        assert not state.is_open, seat_zone
        assert state.next_change == at("2026-12-02T08:00:00+04:00"), seat_zone


@pytest.mark.parametrize("day", ["2026-11-01", "2026-11-11", "2026-12-25"])
def test_french_public_holidays_close_a_ph_off_branch(day: str) -> None:
    instant = datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=ZoneInfo("Europe/Paris"))
    assert not hours.state_at("Mo-Su 08:00-17:00; PH off", instant, PARIS).is_open
    assert hours.state_at("Mo-Su 08:00-17:00", instant, PARIS).is_open


def test_the_day_after_armistice_is_an_ordinary_thursday() -> None:
    assert hours.state_at(HOURS, at("2026-11-12T10:00:00+01:00"), PARIS).is_open


@pytest.mark.parametrize(
    ("place", "day"),
    [
        (REUNION, "2026-12-20"),  # abolition of slavery
        (Place("America/Martinique", "MQ"), "2026-05-22"),
        (Place("America/Guadeloupe", "GP"), "2026-05-27"),
        (CAYENNE, "2026-06-10"),
        (Place("Indian/Mayotte", "YT"), "2026-04-27"),
        (Place("Europe/Paris", "FR-67"), "2026-12-26"),  # Alsace: Saint Stephen (a Saturday)
        (Place("Europe/Paris", "FR-57"), "2026-04-03"),  # Moselle: Good Friday
    ],
)
def test_a_territory_closes_on_its_own_holidays(place: Place, day: str) -> None:
    expression = "Mo-Su 08:00-17:00; PH off"
    instant = datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=ZoneInfo(place.timezone))
    assert not hours.state_at(expression, instant, place).is_open
    national_only = Place(place.timezone, "FR")  # the same clock, France's holidays only
    assert hours.state_at(expression, instant, national_only).is_open
    assert hours.holiday_name(place, instant.date(), "fr")


def test_a_next_opening_skips_a_territory_holiday() -> None:
    # Friday 17 December 2027, 18:00 in La Réunion; Monday 20 December is a holiday there
    friday_evening = at("2027-12-17T18:00:00+04:00")
    state = hours.state_at(HOURS, friday_evening, REUNION)
    assert state.next_change == at("2027-12-21T08:00:00+04:00")
    national_only = Place("Indian/Reunion", "FR")
    assert hours.state_at(HOURS, friday_evening, national_only).next_change == at(
        "2027-12-20T08:00:00+04:00"
    )


def test_a_ph_rule_with_its_own_hours_applies_on_territory_holidays() -> None:
    expression = "Mo-Fr 08:00-17:00; Sa,PH 09:00-12:00"
    holiday = at("2027-12-20T10:00:00+04:00")  # a Monday, a holiday in La Réunion only
    assert hours.state_at(expression, holiday, REUNION).is_open
    assert hours.state_at(expression, at("2027-12-20T14:00:00+04:00"), REUNION).is_open is False


def test_unknown_hours_are_unknown_not_closed() -> None:
    state = hours.state_at("", at("2026-12-01T10:00:00+00:00"), PARIS)
    assert not state.known
    assert (
        hours.state_at("Mo-Fr 08:00-17:00 unknown", at("2026-12-01T10:00:00+00:00"), PARIS).known
        is False
    )


def test_holiday_names_in_both_languages() -> None:
    day = datetime(2026, 11, 11, tzinfo=UTC).date()
    assert hours.holiday_name(PARIS, day, "fr") == "Armistice"
    assert hours.holiday_name(PARIS, day, "en") == "Armistice Day"
    assert hours.holiday_name(PARIS, datetime(2026, 11, 12).date(), "fr") is None


@pytest.mark.parametrize(
    ("postcode", "number", "country", "zone"),
    [
        ("97400", "", "RE", "Indian/Reunion"),
        ("97110", "", "GP", "America/Guadeloupe"),
        ("97133", "", "BL", "America/Guadeloupe"),  # the same clock as St_Barthelemy
        ("97150", "", "MF", "America/Guadeloupe"),
        ("97200", "", "MQ", "America/Martinique"),
        ("97300", "", "GF", "America/Cayenne"),
        ("97500", "", "PM", "America/Miquelon"),
        ("97600", "", "YT", "Indian/Mayotte"),
        ("67000", "", "FR-67", "Europe/Paris"),
        ("75011", "0262 21 34 56", "FR", "Europe/Paris"),  # the postcode comes first
        ("", "0594 30 12 34", "GF", "America/Cayenne"),  # else the number
        ("", "0692 12 34 56", "RE", "Indian/Reunion"),
        ("", "", "FR", "Europe/Paris"),
    ],
)
def test_a_branch_place_from_its_postcode_or_number(
    postcode: str, number: str, country: str, zone: str
) -> None:
    assert places.place_of(postcode, number) == Place(zone, country)


def test_the_pack_overrides_the_guess() -> None:
    assert places.place_of("97400", "", "Europe/Paris", "FR") == Place("Europe/Paris", "FR")


@pytest.mark.parametrize(
    "name", ["Europe/Pariss", "", "../../etc/passwd", "/etc/localtime", "Paris"]
)
def test_unknown_time_zones_are_refused(name: str) -> None:
    with pytest.raises(places.UnknownPlace):
        places.check_timezone(name)


@pytest.mark.parametrize("code", ["XX", "France", "FR-99", "", "12"])
def test_unknown_holiday_calendars_are_refused(code: str) -> None:
    with pytest.raises(places.UnknownPlace):
        places.check_country(code)


def test_known_calendars_are_accepted() -> None:
    assert [places.check_country(c) for c in ("fr", "RE", "FR-57", "BE", "ch")] == [
        "FR",
        "RE",
        "FR-57",
        "BE",
        "CH",
    ]


@pytest.mark.parametrize(
    "expression",
    ["Mo-Su 00:00-24:00", "24/7", "Mo-Su 00:00-12:00,12:00-24:00", "2020-2099 Mo-Su 00:00-24:00"],
)
def test_a_branch_open_round_the_clock_is_open_with_no_change_to_come(expression: str) -> None:
    """``Mo-Su 00:00-24:00`` made the library search up to the year 9999 for a change that
    never comes (a second on the GUI thread, every 20 s): the search is bounded."""
    state = hours.state_at(expression, at("2026-12-01T07:00:00+00:00"), PARIS)
    assert state.is_open and state.known and state.next_change is None


def test_a_change_within_two_weeks_is_found_and_one_beyond_is_not_made_up() -> None:
    expression = "Mo-Su 00:00-24:00; Dec 25 off"
    near = hours.state_at(expression, at("2026-12-20T10:00:00+00:00"), PARIS)
    assert near.is_open and near.next_change == at("2026-12-25T00:00:00+01:00")
    far = hours.state_at(expression, at("2026-11-01T10:00:00+00:00"), PARIS)
    assert far.is_open and far.next_change is None  # beyond the horizon: none said


def test_a_change_of_comment_alone_is_no_change() -> None:
    expression = 'Mo 08:00-24:00 "matin"; Tu 00:00-18:00 "soir"'
    state = hours.state_at(expression, at("2026-11-30T09:00:00+00:00"), PARIS)
    assert state.is_open and state.next_change == at("2026-12-01T18:00:00+01:00")


def test_the_pack_import_warns_of_an_expression_slow_to_evaluate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.tables.validate import read_pack
    from tests.helpers.packs import write_pack

    pack = write_pack(tmp_path / "pack")
    assert not [w for w in read_pack(pack, "FR").warnings if "to evaluate" in w]
    monkeypatch.setattr(hours, "SLOW_EXPRESSION_S", -1.0)  # every expression is "slow"
    warned = [w for w in read_pack(pack, "FR").warnings if "to evaluate" in w]
    assert warned and warned[0].startswith("branches.csv: opening_hours ")
