"""Vietnam-time days and the periods rankings cover: plain values, no Flask or SQL."""

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

VIETNAM_OFFSET = timedelta(hours=7)  # Indochina Time, no daylight saving
PERIODS = (
    ("month", _l("Tháng này")),
    ("3months", _l("3 tháng gần đây")),
    ("year", _l("Năm nay")),
    ("all", _l("Từ trước đến nay")),
)
PERIOD_KEYS = tuple(key for key, _label in PERIODS)


def vietnam_day(moment: datetime) -> date:
    """The Vietnam calendar day of a naive UTC time."""
    return (moment + VIETNAM_OFFSET).date()


def month_key(day: date) -> str:
    """ "YYYY-MM" of a day."""
    return f"{day.year:04d}-{day.month:02d}"


def _months_back(day: date, months: int) -> date:
    """The first day of the month `months` before day's month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def period_start(period: str, today: date) -> date | None:
    """The first day a period covers (through today); None for all time.

    "3months" is this calendar month and the two before it.
    """
    if period == "month":
        return _months_back(today, 0)
    if period == "3months":
        return _months_back(today, 2)
    if period == "year":
        return date(today.year, 1, 1)
    if period == "all":
        return None
    raise ValueError(period)
