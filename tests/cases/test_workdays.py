from datetime import date, timedelta

import pytest

from cases.workdays import (
    add_working_days,
    dutch_public_holidays,
    easter_sunday,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    "expected",
    [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2038, 4, 25),  # Latest possible date.
        date(2285, 3, 22),  # Earliest possible date.
    ],
)
def test_easter_sunday(expected):
    assert easter_sunday(expected.year) == expected


def test_koningsdag_moves_to_saturday_when_27_april_is_a_sunday():
    assert date(2025, 4, 27).weekday() == 6
    assert date(2025, 4, 26) in dutch_public_holidays(2025)
    assert date(2025, 4, 27) not in dutch_public_holidays(2025)
    assert date(2026, 4, 27) in dutch_public_holidays(2026)


def test_the_full_2026_list():
    assert dutch_public_holidays(2026) == {
        date(2026, 1, 1),  # Nieuwjaarsdag, Thursday
        date(2026, 4, 5),  # Eerste Paasdag
        date(2026, 4, 6),  # Tweede Paasdag
        date(2026, 4, 27),  # Koningsdag, Monday
        date(2026, 5, 5),  # Bevrijdingsdag, Tuesday (not a lustrum year)
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 24),  # Eerste Pinksterdag
        date(2026, 5, 25),  # Tweede Pinksterdag
        date(2026, 12, 25),  # Eerste Kerstdag, Friday
        date(2026, 12, 26),  # Tweede Kerstdag, Saturday
    }


def test_goede_vrijdag_is_a_working_day():
    assert date(2026, 4, 3) not in dutch_public_holidays(2026)
    assert is_working_day(date(2026, 4, 3))


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 3, 7))
    assert not is_working_day(date(2026, 3, 8))
    assert is_working_day(date(2026, 3, 9))


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday to Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday to Monday
        (date(2026, 12, 24), 3, date(2026, 12, 30)),  # Skips Christmas (Fri) and the weekend
        (date(2026, 12, 30), 2, date(2027, 1, 4)),  # Skips New Year (Fri) and the weekend
        (date(2026, 4, 2), 1, date(2026, 4, 3)),  # Good Friday counts
        (date(2026, 4, 2), 2, date(2026, 4, 7)),  # Easter Monday does not
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Hemelvaart, Thursday 14 May
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # Koningsdag, Monday 27 April
        (date(2026, 5, 4), 1, date(2026, 5, 6)),  # Bevrijdingsdag, Tuesday 5 May
        (date(2026, 3, 9), 0, date(2026, 3, 9)),  # Working day stays
        (date(2026, 4, 6), 0, date(2026, 4, 7)),  # Easter Monday rolls forward
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 9), -1)


def test_working_days_between_is_zero_when_end_is_not_after_start():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == 0


def test_add_and_between_round_trip():
    start = date(2025, 12, 1)
    while start < date(2028, 1, 1):
        for n in range(16):
            end = add_working_days(start, n)
            assert is_working_day(end)
            assert end >= start
            # A 0-day roll forward from a non-working start counts as one day.
            expected = 1 if n == 0 and not is_working_day(start) else n
            assert working_days_between(start, end) == expected, (start, n)
        start += timedelta(days=1)
