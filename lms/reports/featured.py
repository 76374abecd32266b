"""The monthly featured topic: one module of the citizen course per month (Vietnam time),
shown on every learner's home; without one, the home falls back to FEATURED_MODULE."""

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.audit import services as audit
from lms.courses.models import Course, Module
from lms.reports.models import FeaturedTopic
from lms.reports.periods import month_key
from lms.web import forget_shared_pages

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTHS_AHEAD = 24

__all__ = ["FeaturedError", "citizen_modules", "module_for", "month_key", "set_topic", "upcoming"]


class FeaturedError(ValueError):
    """A featured-topic form value that cannot be used; the message names the field."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass
class MonthTopic:
    month: str
    module_title: str
    course_title: str


def citizen_modules(db: Session) -> list[Module]:
    """Active modules of the citizen courses, in course order."""
    query = (
        select(Module)
        .join(Course, Course.id == Module.course_id)
        .where(Course.track == "citizen", Course.retired.is_(False), Module.retired.is_(False))
        .order_by(Course.position, Course.slug, Module.position)
    )
    return list(db.scalars(query))


def _months_apart(first: str, second: str) -> int:
    (y1, m1), (y2, m2) = (map(int, m.split("-")) for m in (first, second))
    return (y2 - y1) * 12 + (m2 - m1)


def set_topic(db: Session, month: str, module_id: str, by: User, today: date) -> None:
    """Feature a module in a month (this month or a later one); no module clears the month."""
    month = (month or "").strip()
    if not MONTH.match(month):
        raise FeaturedError(_("Tháng (month) phải có dạng năm-tháng, ví dụ 2026-12."), "month")
    ahead = _months_apart(month_key(today), month)
    if not 0 <= ahead <= MONTHS_AHEAD:
        raise FeaturedError(
            _("Tháng (month) phải từ tháng này đến %(n)s tháng tới.", n=MONTHS_AHEAD), "month"
        )
    if not (module_id or "").strip():
        db.execute(delete(FeaturedTopic).where(FeaturedTopic.month == month))
        audit.record(db, by, "reports.featured", month, module=None)
        return
    allowed = {module.id: module for module in citizen_modules(db)}
    chosen = allowed.get(int(module_id)) if module_id.strip().isdigit() else None
    if chosen is None:
        raise FeaturedError(
            _("Chủ đề (module) phải là một chủ đề của khoá cho người dân."), "module"
        )
    topic = db.get(FeaturedTopic, month) or FeaturedTopic(month=month)
    topic.module_id, topic.set_by_id = chosen.id, by.id
    db.add(topic)
    db.flush()
    audit.record(db, by, "reports.featured", month, module=chosen.slug, course=chosen.course.slug)


def upcoming(db: Session, today: date) -> list[MonthTopic]:
    """The topics set for this month and later."""
    query = (
        select(FeaturedTopic.month, Module.title, Course.title)
        .join(Module, Module.id == FeaturedTopic.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(FeaturedTopic.month >= month_key(today))
        .order_by(FeaturedTopic.month)
    )
    return [MonthTopic(*row) for row in db.execute(query)]


def module_for(db: Session, today: date) -> Module | None:
    """The module featured this month, if one is set and still taught."""
    query = (
        select(Module)
        .join(FeaturedTopic, FeaturedTopic.module_id == Module.id)
        .where(FeaturedTopic.month == month_key(today), Module.retired.is_(False))
    )
    return db.scalar(query)


def forget_cached_pages() -> None:
    """A new topic shows at once, also on pages kept for first-time visitors."""
    forget_shared_pages(current_app._get_current_object())
