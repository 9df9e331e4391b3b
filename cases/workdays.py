"""Working days for Dutch time limits.

Time limits follow the Algemene termijnenwet: a limit that ends on a Saturday, Sunday or a
"algemeen erkende feestdag" of art. 3 moves to the next working day. This module uses the
law's own list, written out by hand because it is short (about ten days) and differs from
everyday calendars: the `holidays` package puts 5 May only in lustrum years and Good Friday in
an optional category, while art. 3 has 5 May every year and no Good Friday at all.
"""

from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous algorithm, Meeus/Jones/Butcher): no table to keep up to date."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def dutch_public_holidays(year: int) -> frozenset[date]:
    """Art. 3 Algemene termijnenwet; Easter and Pentecost Sunday are listed for completeness."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # Koningsdag moves to Saturday when 27 April is a Sunday.
        kings_day = date(year, 4, 26)
    return frozenset(
        {
            date(year, 1, 1),
            easter,
            easter + timedelta(days=1),
            easter + timedelta(days=39),
            easter + timedelta(days=49),
            easter + timedelta(days=50),
            kings_day,
            date(year, 5, 5),  # Every year under this law, not just lustrum years.
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_working_day(day: date) -> bool:
    """Saturdays and Sundays are excluded by the law itself (art. 1), not just by art. 3."""
    return day.weekday() < 5 and day not in dutch_public_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The start day is not counted, as a limit runs from the day after the triggering event.

    With 0 days a non-working start rolls forward, the way a limit ending on it would.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    if days == 0 and not is_working_day(start):
        days = 1  # The next working day is exactly one working day after start.
    day = start
    while days:
        day += ONE_DAY
        days -= is_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Counts (start, end] so it inverts add_working_days for days >= 1.

    For days == 0 from a non-working start the roll-forward counts as one day here.
    """
    count = 0
    day = start + ONE_DAY
    while day <= end:
        count += is_working_day(day)
        day += ONE_DAY
    return count
