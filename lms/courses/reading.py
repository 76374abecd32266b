"""A course's reading order for the lesson pages, kept per process for a short while.

Building it walks every module and lesson of the course; a lesson page needs only its
neighbours, its number in the module and the module's quiz. Content changes only at
`content sync`, so each worker keeps the order for READING_ORDER_SECONDS (default 60):
after a sync, the pager and quiz links follow within that time, while the lesson text
itself is always read fresh.
"""

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from lms.courses import services
from lms.courses.models import Lesson


@dataclass(frozen=True)
class Stop:
    lesson_id: int
    slug: str
    title: str
    module_id: int
    module_slug: str
    module_title: str
    number: int  # within its module, from 1


@dataclass(frozen=True)
class ReadingOrder:
    course_id: int
    course_slug: str
    course_title: str
    stops: tuple[Stop, ...]
    module_sizes: dict[int, int]
    quiz_ids: dict[int, int]

    def stop(self, lesson_id: int) -> Stop | None:
        i = self.position(lesson_id)
        return None if i is None else self.stops[i]

    def position(self, lesson_id: int) -> int | None:
        return next((i for i, stop in enumerate(self.stops) if stop.lesson_id == lesson_id), None)

    def neighbours(self, lesson_id: int) -> tuple[Stop | None, Stop | None]:
        """The stops before and after the lesson, across modules."""
        i = self.position(lesson_id)
        if i is None:
            return None, None
        before = self.stops[i - 1] if i > 0 else None
        after = self.stops[i + 1] if i + 1 < len(self.stops) else None
        return before, after


def _build(db: Session, course_slug: str) -> ReadingOrder | None:
    course = services.get_course(db, course_slug)
    if course is None:
        return None
    modules = services.active_modules(course)
    quizzes = services.quizzes_by_module(db, [module.id for module in modules])
    stops = []
    for module in modules:
        for number, lesson in enumerate(services.active_lessons(module), start=1):
            stops.append(
                Stop(
                    lesson.id,
                    lesson.slug,
                    lesson.title,
                    module.id,
                    module.slug,
                    module.title,
                    number,
                )
            )
    return ReadingOrder(
        course.id,
        course.slug,
        course.title,
        tuple(stops),
        {module.id: len(services.active_lessons(module)) for module in modules},
        {module_id: quiz.id for module_id, quiz in quizzes.items()},
    )


def reading_order(db: Session, course_slug: str, lesson: Lesson) -> ReadingOrder | None:
    """The course's reading order around this lesson, from this worker's cache while fresh.

    An order that does not hold the lesson (new or moved at a sync) is rebuilt at once.
    """
    cache = current_app.extensions.setdefault("lms.reading_orders", {})
    lifetime = current_app.config.get("READING_ORDER_SECONDS", 60)
    now = time.monotonic()
    cached = cache.get(course_slug)
    if cached is not None and now - cached[0] < lifetime:
        stop = cached[1] and cached[1].stop(lesson.id)
        if stop is not None and stop.module_id == lesson.module_id:
            return cached[1]
    order = _build(db, course_slug)
    cache[course_slug] = (now, order)
    return order
