"""A target's arithmetic: how far a unit is, the pace it needs, who lags. No Flask or SQL.

A target asks that `percent` % of members complete a course by `due`. From the day it is
set (when the unit stood at `baseline` %) to the due date, a steady pace is a straight
line; a team lags when its completion is below where that line stands today.
"""

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class Pace:
    target_percent: int
    current_percent: float
    needed: int  # members who still have to complete
    days_left: int
    per_week: float | None  # members per week from today; None once the date has passed
    points_per_week: float | None  # percentage points per week from today
    expected_percent: float  # where a steady pace stands today
    status: str  # "met", "on_track", "behind" or "overdue"


def expected_percent(target: int, baseline: float, start: date, due: date, today: date) -> float:
    """Where a straight line from (start, baseline) to (due, target) stands today."""
    if today >= due or due <= start:
        return float(target)
    if today <= start:
        return float(baseline)
    share = (today - start).days / (due - start).days
    return round(baseline + (target - baseline) * share, 1)


def pace(
    target: int,
    due: date,
    today: date,
    members: int,
    completed: int,
    start: date,
    baseline: float = 0.0,
) -> Pace:
    """The pace a unit needs to reach target % of members completed by due."""
    current = round(100 * completed / members, 1) if members else 0.0
    needed = max(0, math.ceil(target * members / 100) - completed)
    days_left = (due - today).days
    expected = expected_percent(target, baseline, start, due, today)
    if needed == 0:
        return Pace(target, current, 0, days_left, 0.0, 0.0, expected, "met")
    if days_left <= 0:
        return Pace(target, current, needed, days_left, None, None, expected, "overdue")
    weeks = days_left / DAYS_PER_WEEK
    per_week = round(needed / weeks, 1)
    points = round(max(0.0, target - current) / weeks, 1)
    status = "on_track" if current >= expected else "behind"
    return Pace(target, current, needed, days_left, per_week, points, expected, status)


def lags(completed: int, members: int, expected: float) -> bool:
    """Whether a team with these figures is below the steady pace today."""
    return members > 0 and 100 * completed < expected * members


class TargetInputError(ValueError):
    """A target form value that cannot be used; the message names the field."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


MAX_YEARS_AHEAD = 5


def check_target(percent_raw: str, due_raw: str, today: date) -> tuple[int, date]:
    """The target's percent (1–100) and due date (after today), from form text."""
    try:
        percent = int((percent_raw or "").strip().rstrip("%"))
    except ValueError:
        percent = 0
    if not 1 <= percent <= 100:
        raise TargetInputError(_("Chỉ tiêu (percent) phải là số nguyên từ 1 đến 100."), "percent")
    try:
        due = date.fromisoformat((due_raw or "").strip())
    except ValueError:
        raise TargetInputError(
            _("Hạn hoàn thành (due_on) phải có dạng năm-tháng-ngày, ví dụ 2026-12-31."), "due_on"
        ) from None
    if due <= today:
        raise TargetInputError(_("Hạn hoàn thành (due_on) phải sau hôm nay."), "due_on")
    if due.year > today.year + MAX_YEARS_AHEAD:
        raise TargetInputError(
            _("Hạn hoàn thành (due_on) không được quá %(n)s năm nữa.", n=MAX_YEARS_AHEAD), "due_on"
        )
    return percent, due
