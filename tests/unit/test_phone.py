import pytest

from desktop import phone

WRITTEN_FORMS = [
    "01 99 00 66 77",
    "01.99.00.66.77",
    "0199006677",
    "+33 1 99 00 66 77",
    "+33 (0)1 99 00 66 77",
    "0033199006677",
    "01-99-00-66-77",
]


@pytest.mark.parametrize("text", WRITTEN_FORMS)
def test_every_written_form_normalises_to_one_e164(text: str) -> None:
    result = phone.normalise(text)
    assert result.valid
    assert result.e164 == "+33199006677"
    assert result.national == "01 99 00 66 77"
    assert result.stored == "+33199006677"


@pytest.mark.parametrize("text", ["12345", "99 99", "abc", "+33 1", "0144 55 66 77 88 99"])
def test_absurd_numbers_are_flagged_and_kept_as_typed(text: str) -> None:
    result = phone.normalise(text)
    assert not result.valid
    assert result.stored == text.strip()


def test_dialling_digits_are_what_the_agent_reads() -> None:
    number = phone.parse("+33 8 00 10 20 30")
    assert number is not None
    assert phone.dialling_digits(number) == "0800102030"


def test_foreign_numbers_display_internationally() -> None:
    assert phone.display_e164("+4930123456").startswith("+49")
    assert phone.display_e164("+33612345678") == "06 12 34 56 78"


@pytest.mark.parametrize(
    "text",
    [
        "01 99 00 66 77",
        "0800 10 20 30",
        "06 12 34 56 78",
        "+32 2 555 12 12",
        "+41 44 668 18 00",
        "+49 30 1234567",
        "+44 20 7946 0958",
        "+590 590 27 12 34",
        "+262 262 41 22 33",
    ],
)
def test_dialling_digits_equal_the_national_format_digits(text: str) -> None:
    import phonenumbers

    number = phone.parse(text)
    assert number is not None and phonenumbers.is_valid_number(number)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert phone.dialling_digits(number) == phone.only_digits(national)


def test_canonical_many_in_parallel_equals_one_by_one() -> None:
    """Numbers the quick pass checks, between 20,000 it leaves to the worker processes: the
    chunks put each answer back in its place."""
    texts = ["01 40 00 00 00", "12", "+33140000001"]
    for i in range(20_000):
        texts.append(f"+33 1 {i // 10000 + 40:02d} {i % 10000:04d} 00")  # phonenumbers' parser
        texts.append(f"01{i // 10000 + 40:02d}{i % 10000:04d}01" if i % 3 else "x")
    texts += ["0199006881", "0596 21 34 56"]
    assert sum(phone._metropolitan(t, "FR") is None for t in texts) > 20_000
    chunks = list(phone.canonical_chunks(texts, "FR", workers=2))
    assert len(chunks) > 2
    one_by_one = [phone._canonical_read(t, "FR") for t in texts]
    assert [c for chunk in chunks for c in chunk] == one_by_one
    assert phone.canonical_many(texts, "FR", workers=2) == one_by_one


def test_common_numbers_checked_beside_equal_one_by_one() -> None:
    """20,000 numbers of the quick pass's shapes go to one worker (this process reads the rest
    of the pack meanwhile): each comes back as its nine digits, made whole here."""
    texts = [f"01{i // 10000 + 40:02d}{i % 10000:04d}0{i % 10}" for i in range(20_000)]
    texts += ["+33140000001", "12", "0596 21 34 56"]
    chunks = list(phone.canonical_chunks(texts, "FR", workers=2))
    assert len(chunks) > 2
    assert [c for chunk in chunks for c in chunk] == [phone._canonical_read(t, "FR") for t in texts]


def test_workers_killed_midway_leave_their_numbers_to_this_process() -> None:
    """A worker killed (the out-of-memory killer, a user) breaks the pool: its numbers and
    those after are checked here, and the answers are the same."""
    import multiprocessing
    import os
    import signal

    texts = [f"+33 1 {i // 10000 + 40:02d} {i % 10000:04d} 00" for i in range(21_000)]
    chunks = phone.canonical_chunks(texts, "FR", workers=2)
    workers = multiprocessing.active_children()
    assert workers
    for worker in workers:
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
    assert [c for chunk in chunks for c in chunk] == [phone._canonical_read(t, "FR") for t in texts]


def test_the_quick_metropolitan_check_answers_what_phonenumbers_answers() -> None:
    """``canonical``'s quick pass (two pattern matches) against the whole reading, over random
    numbers of every range, the overseas ones and the invalid ones weighed heavily."""
    import random

    rng = random.Random(11)
    prefixes = ["262", "263", "269", "590", "594", "596", "639", "690", "691", "694", "696",
                "697", "692", "693", "700", "710", "720", "800", "810", "836", "890", "976",
                "508", "1", "2", "3", "4", "5", "6", "7", "8", "9"]  # fmt: skip
    quick = 0
    for _ in range(20_000):
        head = rng.choice(prefixes)
        nsn = head + "".join(rng.choice("0123456789") for _ in range(9 - len(head)))
        text = rng.choice(["+33" + nsn, "0" + nsn, "0" + " ".join([nsn[0]] + [nsn[i : i + 2]
                           for i in range(1, 9, 2)])])  # fmt: skip
        known = phone._metropolitan(text, "FR")
        assert phone.canonical(text, "FR") == phone._canonical_read(text, "FR"), text
        if known is not None:
            quick += 1
            assert known == phone._canonical_read(text, "FR"), text
    assert 5_000 < quick < 15_000  # both ways were taken
    assert phone._metropolitan("01 99 00 68 81", "FR") == ("+33199006881", "0199006881")
    for other in ["0596 21 34 56", "0262 21 34 56", "0692 12 34 56", "0700000000"]:
        assert phone._metropolitan(other, "FR") is None, other
    assert phone._metropolitan("01 99 00 68 81", "RE") is None


def test_the_fast_french_display_is_what_phonenumbers_says() -> None:
    import random

    rng = random.Random(7)
    for first in "1234567989":
        for _ in range(300):
            number = f"+33{first}{rng.randrange(10**8):08d}"
            parsed = phone.parse(number, "FR")
            assert parsed is not None
            assert phone.display_e164(number) == phone._display(parsed, "FR"), number
    assert phone.display_stored("0612") == "0612"  # an invalid number, kept as typed
    assert phone.display_stored("+33612345678") == "06 12 34 56 78"


def test_the_common_french_shapes_are_read_as_phonenumbers_reads_them() -> None:
    """The short way for ``0X XX XX XX XX`` and ``+33XXXXXXXXX`` (any spacing of the pairs)
    gives the number phonenumbers.parse gives, over random numbers of every range; any other
    shape, or another seat region, takes phonenumbers' parser."""
    import random

    import phonenumbers

    rng = random.Random(7)
    for _ in range(20_000):
        nsn = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(8))
        national = "0" + nsn
        text = rng.choice([
            "+33" + nsn,
            national,
            "".join(d + (" " if i % 2 and rng.random() < 0.7 else "")
                    for i, d in enumerate(national)).strip(),
        ])  # fmt: skip
        quick = phone._common_french(text, "FR")
        assert quick is not None, text
        assert quick == phonenumbers.parse(text, "FR"), text
    for other in ["0 1 43 65 68 81", "01.99.00.68.81", "+33 1 99 00 68 81", "0199006881 ",
                  "٠١٤٣٦٥٦٨٨١", "00 1 43 65 68 81", "+330143656881", "014365688"]:  # fmt: skip
        assert phone._common_french(other, "FR") is None, other
    assert phone._common_french("01 99 00 68 81", "RE") is None
