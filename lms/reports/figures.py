"""Figures as a reader sees them: numbers, percentages and times in the reader's locale.

Plain functions of a value and a locale code, formatted by Babel (CLDR): Vietnamese groups
thousands with "." and writes decimals with ",", English the other way round. Exports keep
machine formats; these are for pages and charts only.
"""

import re
from datetime import UTC, datetime, timezone
from decimal import Decimal

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent

from lms.reports.periods import VIETNAM_OFFSET

NO_VALUE = "–"
# Percentages keep one decimal where there is one. Vietnamese writes a space before the sign
# ("15,6 %"); for other locales the CLDR pattern is kept with one optional decimal.
PERCENT_PATTERNS = {"vi": "#,##0.#\u00a0%", "en": "#,##0.#%"}
AS_OF_PATTERN = "dd/MM/yyyy HH:mm"
VIETNAM = timezone(VIETNAM_OFFSET, "ICT")


def percent_pattern(locale: str) -> str:
    """The percent pattern for a locale: ours for vi and en, else CLDR's with one decimal."""
    if locale in PERCENT_PATTERNS:
        return PERCENT_PATTERNS[locale]
    standard = Locale.parse(locale).percent_formats[None].pattern
    return re.sub(r"0(?=[^0#]*%)", "0.#", standard, count=1)


def number(value: int | float | None, locale: str) -> str:
    """A count or measure: '1.234' in Vietnamese, '1,234' in English; '–' for no value."""
    if value is None:
        return NO_VALUE
    return format_decimal(value, format="#,##0.#", locale=locale)


def percentage(value: float | None, locale: str) -> str:
    """A percentage given as 0..100: '15,6 %' in Vietnamese, '15.6%' in English."""
    if value is None:
        return NO_VALUE
    fraction = Decimal(str(value)) / 100
    return format_percent(fraction, format=percent_pattern(locale), locale=locale)


def vietnam_time(moment: datetime | None, locale: str) -> str:
    """A naive UTC time shown as the time in Vietnam (UTC+7), e.g. '04/12/2026 22:41'."""
    if moment is None:
        return NO_VALUE
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return format_datetime(utc, AS_OF_PATTERN, tzinfo=VIETNAM, locale=locale)
