import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.tables.validate import PackError, read_pack
from tests.helpers.packs import (
    BRANCHES,
    F1_TO_F4,
    NUMBERS,
    OVERSEAS_BRANCHES,
    OVERSEAS_NUMBERS,
    csv_text,
    write_pack,
)


def problems_of(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(PackError) as caught:
        read_pack(path, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_clean_pack_reads_everything(tmp_path: Path) -> None:
    reading = read_pack(write_pack(tmp_path / "p"))
    pack = reading.pack
    assert pack.counts() == {"branches": 2, "numbers": 3, "call_types": 2, "partners": 1}
    assert pack.info.name == "Test pack" and pack.info.version == "7"
    assert pack.call_types["FAM"].procedure == ("Condoléances", "Identifier le défunt")
    assert pack.call_types["RAP"].procedure == ("Prestataire", "Dossier")
    assert {n.e164 for n in pack.numbers} == {"+33199006677", "+33472001234", "+33800102030"}
    assert reading.warnings == [] and reading.skipped == []


def test_excel_french_pack_reads_the_same(tmp_path: Path) -> None:
    clean = read_pack(write_pack(tmp_path / "clean")).pack
    french = read_pack(write_pack(tmp_path / "fr", excel_french=True)).pack
    raw = (tmp_path / "fr" / "branches.csv").read_bytes()
    assert b";" in raw and b"\r\n" in raw and "Élysée".encode("cp1252") in raw
    assert french.branches == clean.branches
    assert french.numbers == clean.numbers
    assert french.call_types == clean.call_types
    assert french.partners == clean.partners


def test_utf8_with_bom_and_unknown_columns(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    rows = [{**b, "Manager": "X"} for b in BRANCHES]
    (folder / "branches.csv").write_bytes(b"\xef\xbb\xbf" + csv_text(rows).encode())
    reading = read_pack(folder)
    assert reading.pack.branches["B1"].name == "Agence Élysée"
    assert reading.warnings == ["branches.csv:1: unknown column 'manager' ignored"]


def test_zip_pack(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p")
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in folder.iterdir():
            zf.write(file, f"tables/{file.name}")
    assert read_pack(archive).pack.counts()["numbers"] == 3


def test_every_bad_row_is_listed_with_file_and_line(tmp_path: Path) -> None:
    branches = [
        *BRANCHES,
        {"branch_id": "B1", "name": "Doublon"},
        {"branch_id": "B9", "name": ""},
        {"branch_id": "B8", "name": "Horaires", "opening_hours": "lundi matin"},
    ]
    numbers = [
        *NUMBERS,
        {"number": "12345", "branch_id": "B1"},
        {"number": "01 99 99 99 99", "branch_id": "NOPE"},
        {"number": "01 98 98 98 98", "branch_id": "B1", "call_type": "XYZ"},
        {"number": "+33 1 99 00 66 77", "branch_id": "B2"},
        {"number": "", "branch_id": "B2"},
    ]
    problems = problems_of(
        write_pack(tmp_path / "p", branches=branches, numbers=numbers, manifest=False)
    )
    assert problems == [
        "branches.csv:4: duplicate branch_id 'B1'",
        "branches.csv:5: branch_id and name are required",
        problems[2],
        "numbers.csv:5: number '12345' is not a valid phone number",
        "numbers.csv:6: branch_id 'NOPE' is not in branches.csv",
        "numbers.csv:7: call_type 'XYZ' is not in call_types.csv",
        "numbers.csv:8: number '01 99 00 66 77' already at line 2 with another target",
        "numbers.csv:9: number is required",
    ]
    assert problems[2].startswith("branches.csv:6: opening_hours 'lundi matin' is not valid")


def test_same_number_twice_with_same_target_is_not_a_conflict(tmp_path: Path) -> None:
    numbers = [*NUMBERS, {"number": "01.99.00.66.77", "branch_id": "B1"}]
    assert (
        read_pack(write_pack(tmp_path / "p", numbers=numbers, manifest=False)).pack.counts()[
            "numbers"
        ]
        == 3
    )


def test_skip_invalid_rows_imports_the_rest_and_lists_the_skipped(tmp_path: Path) -> None:
    numbers = [*NUMBERS, {"number": "12345", "branch_id": "B1"}]
    reading = read_pack(
        write_pack(tmp_path / "p", numbers=numbers, manifest=False), skip_invalid_rows=True
    )
    assert len(reading.pack.numbers) == 3
    assert [str(p) for p in reading.skipped] == [
        "numbers.csv:5: number '12345' is not a valid phone number"
    ]


def test_checksum_mismatch_rejects_even_with_skip(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p")
    with (folder / "numbers.csv").open("ab") as f:
        f.write(b"01 23 45 67 89,B1,,\r\n")
    assert problems_of(folder, skip_invalid_rows=True) == [
        "numbers.csv:0: checksum mismatch with manifest.json"
    ]


def test_missing_file_missing_column_broken_csv(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    (folder / "call_types.csv").unlink()
    (folder / "branches.csv").write_text("id,name\nB1,X\n")
    (folder / "numbers.csv").write_text('number,branch_id\n"01 99 00 66 77,B1\n')
    problems = problems_of(folder)
    assert "branches.csv:1: required column missing: branch_id" in problems
    assert "call_types.csv:0: required file missing from the pack" in problems
    assert any(p.startswith("numbers.csv:") for p in problems)


def test_extra_cells_and_binary_garbage(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    with (folder / "numbers.csv").open("a") as f:
        f.write("01 11 22 33 44,B1,,label,surplus\r\n")
    assert problems_of(folder) == ["numbers.csv:5: 1 cell(s) beyond the header's columns"]
    (folder / "numbers.csv").write_bytes(b"")
    assert problems_of(folder) == ["numbers.csv:1: the file is empty (a header line is required)"]


def test_not_a_pack_at_all(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nowhere")[0].endswith("no such file or folder")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    assert "unreadable pack" in problems_of(junk)[0]


def test_bad_manifest_and_hotkeys(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p",
        call_types=[
            {"code": "A", "label": "A", "hotkey": "F5", "priority": ""},
            {"code": "B", "label": "B", "hotkey": "f5"},
            {"code": "C", "label": "C", "hotkey": "Hyper+Q"},
            {"code": "D", "label": "D", "priority": "x"},
        ],
        numbers=[NUMBERS[0]],
        manifest=False,
    )
    (folder / "manifest.json").write_text("{broken")
    problems = problems_of(folder)
    assert problems[0].startswith("manifest.json:1: unreadable manifest")
    (folder / "manifest.json").unlink()
    assert problems_of(folder) == [
        "call_types.csv:3: hotkey 'f5' already used by call type 'A'",
        "call_types.csv:4: hotkey 'Hyper+Q' is not a key like F5, Alt+1 or Ctrl+Shift+T",
        "call_types.csv:5: priority 'x' is not a whole number from -999 to 999",
    ]


def test_demo_pack_is_valid_and_big_enough() -> None:
    demo = Path(__file__).resolve().parents[2] / "lookup_tables" / "demo"
    pack = read_pack(demo).pack
    assert len(pack.branches) >= 300
    assert set(pack.call_types) == {"FAM", "RAP", "TRA", "ASS"}
    assert any(n.branch_id is None for n in pack.numbers)
    assert len(pack.partners) >= 5


def test_overseas_branches_import_with_their_numbers_clocks_and_calendars(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p", branches=OVERSEAS_BRANCHES, numbers=OVERSEAS_NUMBERS, partners=None
    )
    pack = read_pack(folder).pack
    assert {n.e164: n.branch_id for n in pack.numbers} == {
        "+33199006677": "PAR",
        "+262262213456": "RUN",
        "+594594301234": "CAY",
        "+596596601234": "FDF",
        "+596596213456": "FDF",
    }
    places = {b.branch_id: (b.timezone, b.country) for b in pack.branches.values()}
    assert places == {
        "PAR": ("Europe/Paris", "FR"),
        "RUN": ("Indian/Reunion", "RE"),  # from the postcode
        "CAY": ("America/Cayenne", "GF"),  # from the phone number
        "FDF": ("America/Martinique", "MQ"),  # as the row says
    }


def test_unknown_time_zones_and_calendars_are_file_line_errors(tmp_path: Path) -> None:
    branches = [
        {**OVERSEAS_BRANCHES[0], "timezone": "Europe/Pariss"},
        {**OVERSEAS_BRANCHES[1], "country": "Réunion"},
    ]
    numbers = OVERSEAS_NUMBERS[:2]
    problems = problems_of(
        write_pack(tmp_path / "p", branches=branches, numbers=numbers, partners=None)
    )
    assert problems[0].startswith("branches.csv:2: time zone 'Europe/Pariss' is not an IANA")
    assert problems[1].startswith("branches.csv:3: country 'Réunion' has no holiday calendar")


def test_the_manifest_gives_a_pack_wide_place(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p",
        branches=[{**b, "postcode": ""} for b in OVERSEAS_BRANCHES[:2]],
        numbers=OVERSEAS_NUMBERS[:2],
        partners=None,
        manifest_extra={"timezone": "Indian/Reunion", "country": "RE"},
    )
    pack = read_pack(folder).pack
    assert {(b.timezone, b.country) for b in pack.branches.values()} == {("Indian/Reunion", "RE")}
    bad = write_pack(tmp_path / "bad", manifest_extra={"timezone": 7, "country": "ZZ"})
    assert problems_of(bad) == [
        "manifest.json:1: timezone must be a text, not int",
        "manifest.json:1: country 'ZZ' has no holiday calendar (FR, RE, GP, MQ, GF, YT, PM, "
        "BL, MF, FR-57, FR-67, FR-68, or an ISO code such as BE)",
    ]


def test_call_types_on_f1_to_f4_import_and_say_what_moved(tmp_path: Path) -> None:
    reading = read_pack(write_pack(tmp_path / "p", call_types=F1_TO_F4))
    assert [c.hotkey for c in reading.pack.call_types.values()] == ["F1", "F2", "F3", "F4"]
    assert reading.warnings == [
        "call_types.csv:2: F1 chooses call type 'FAM': the list of keys moves to Shift+F1",
        "call_types.csv:3: F2 chooses call type 'RAP': going to the dialled digits moves to Shift+F2",
        "call_types.csv:4: F3 chooses call type 'TRA': going to the caller's number moves to Shift+F3",
        "call_types.csv:5: F4 chooses call type 'ASS': going to the notes moves to Shift+F4",
    ]


def test_keys_that_cannot_give_way_are_refused_at_import(tmp_path: Path) -> None:
    call_types = [
        {**F1_TO_F4[0], "hotkey": "Ctrl+S"},
        {**F1_TO_F4[1], "hotkey": "ctrl+q"},
        {**F1_TO_F4[2], "hotkey": "x"},
        {**F1_TO_F4[3], "hotkey": "Alt+O"},
    ]
    assert problems_of(write_pack(tmp_path / "p", call_types=call_types))[:4] == [
        "call_types.csv:2: hotkey 'Ctrl+S' cannot choose a call type: "
        "Ctrl+S is Repli's key to save the contact",
        "call_types.csv:3: hotkey 'Ctrl+Q' cannot choose a call type: Ctrl+Q is Repli's key to quit",
        "call_types.csv:4: hotkey 'X' cannot choose a call type: X would be typed into the fields",
        "call_types.csv:5: hotkey 'Alt+O' cannot choose a call type: "
        "Alt+O is an Alt+underlined letter of the window",
    ]


def test_a_pack_that_names_its_country_reads_its_numbers_that_way(tmp_path: Path) -> None:
    numbers = [{"number": "02 555 12 12", "branch_id": "B1", "call_type": "", "label": ""}]
    folder = write_pack(
        tmp_path / "be", numbers=numbers, partners=None, manifest_extra={"country": "BE"}
    )
    pack = read_pack(folder, region="FR").pack
    assert [n.e164 for n in pack.numbers] == ["+3225551212"]  # Brussels, not a French 02
    assert {b.country for b in pack.branches.values()} == {"BE"}
    assert {b.timezone for b in pack.branches.values()} == {"Europe/Brussels"}


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=',;"\r\n ab\u2028\x0b', max_size=60))
def test_the_lines_fed_to_the_csv_reader_split_as_stringio_does(text: str) -> None:
    """The reader takes the file's lines one at a time instead of a StringIO (which held a
    second copy of a 60 MiB file): the same rows, or the same error, for any text."""
    import csv
    import io
    from collections.abc import Iterable

    from desktop.tables.csvfile import _lines

    def rows(lines: Iterable[str]) -> object:
        try:
            return list(csv.reader(lines, strict=True))
        except csv.Error as exc:
            return str(exc)

    assert rows(_lines(text)) == rows(io.StringIO(text, newline=""))


def test_cells_of_few_distinct_values_share_one_string() -> None:
    from desktop.tables.csvfile import read_table

    data = "number,branch_id,label\r\n" + "".join(
        f"01 99 00 {i // 100:02d} {i % 100:02d},AG00001,Ligne agence\r\n" for i in range(200)
    )
    table = read_table("numbers.csv", data.encode(), ("number", "branch_id", "label"))
    labels = {id(row.values["label"]) for row in table.rows()}
    numbers = {row.values["number"] for row in table.rows()}
    assert len(labels) == 1 and len(numbers) == 200


def test_a_table_too_big_to_hold_is_read_again_row_by_row_to_the_same_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over ``HELD_ROWS_CHARS`` a table's rows are not held but read again from its text
    (a 60 MiB numbers.csv held 1.6 million rows): the pack, its warnings and its problems
    are those of the held rows. The bound is lowered to nothing here, standing for 16 MiB."""
    from desktop.table_pack import DialledNumbers
    from desktop.tables import csvfile
    from desktop.tables.validate import read_pack
    from tests.helpers.packs import NUMBERS, write_pack

    rows = [
        *NUMBERS,
        {"number": "0x12", "branch_id": "AG00001", "call_type": "", "label": "x"},
        {"number": "01.99.00.66.77", "branch_id": "B1", "call_type": "", "label": "again"},
        {"number": "01 99 00 66 77", "branch_id": "B2", "call_type": "", "label": "other"},
    ]
    pack = write_pack(tmp_path / "pack", numbers=rows)
    held = read_pack(pack, "FR", skip_invalid_rows=True)
    monkeypatch.setattr(csvfile, "HELD_ROWS_CHARS", 0)
    again = read_pack(pack, "FR", skip_invalid_rows=True)
    # its numbers are held compactly too, and read back the same
    assert isinstance(again.pack.numbers, DialledNumbers) and len(again.pack.numbers) == 3
    assert again.pack.numbers == held.pack.numbers and again.pack.branches == held.pack.branches
    assert [p.line for p in again.skipped] == [p.line for p in held.skipped] == [5, 7]
    assert again.skipped == held.skipped  # the bad row and the conflicting one, by their lines
    assert again.warnings == held.warnings


def test_an_expression_slow_to_evaluate_is_a_warning_naming_it_and_its_branch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The card evaluates a branch's hours on the GUI thread: one over
    ``hours.SLOW_EXPRESSION_S`` is said at import, once for each expression and place. The
    clock is the check's own measure (no test times anything): here it says 40 ms for the
    expression with a holiday rule, and nothing for the others."""
    from desktop import hours

    slow = "Mo-Fr 08:00-12:00; PH off"
    measured: list[str] = []

    def evaluation_time(expression: str, *_args: object, **_kwargs: object) -> float:
        measured.append(expression)
        return 0.040 if expression == slow else 0.0001

    monkeypatch.setattr(hours, "evaluation_time", evaluation_time)
    branches = [
        {"branch_id": "B1", "name": "Élysée", "city": "Paris", "opening_hours": slow},
        {"branch_id": "B2", "name": "Fourvière", "city": "Paris", "opening_hours": slow},
        {"branch_id": "B3", "name": "Lyon", "city": "Lyon", "opening_hours": "Mo-Fr 09:00-17:00"},
    ]
    numbers = [{"number": "01 99 00 66 77", "branch_id": "B1"}]
    reading = read_pack(write_pack(tmp_path / "p", branches=branches, numbers=numbers))
    said = [w for w in reading.warnings if "to evaluate" in w]
    assert said == [
        f"branches.csv: opening_hours {slow!r} (B1) takes 40 ms to evaluate: simplify it"
    ]
    assert sorted(measured) == sorted([slow, "Mo-Fr 09:00-17:00"])  # B2's, the same: once
