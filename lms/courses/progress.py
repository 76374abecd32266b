"""Recording progress: lessons read, modules and courses completed; roll-ups move with it."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.contributions import tally
from lms.courses.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Module,
    ModuleCompletion,
)
from lms.courses.rules import course_complete
from lms.reports import rollups


def _member_team(user: User) -> int | None:
    return user.team_id if user.role in rollups.MEMBER_ROLES else None


def mark_lesson_done(db: Session, user: User, lesson: Lesson) -> bool:
    """Record that the user read the lesson; returns False when it was already recorded."""
    if db.scalar(
        select(LessonProgress.id).where(
            LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson.id
        )
    ):
        return False
    course_id = lesson.module.course_id
    first_in_course = not _has_started(db, user.id, course_id)
    referred = user.referred_by_team_id is not None
    learned_before = first_in_course and referred and tally.has_lessons(db, user.id)
    db.add(LessonProgress(user_id=user.id, lesson_id=lesson.id))
    db.flush()
    if first_in_course:
        rollups.bump(db, _member_team(user), course_id, started=1)
        tally.count_learned(db, user, learned_before)
    return True


def _has_started(db: Session, user_id: int, course_id: int) -> bool:
    query = (
        select(func.count())
        .select_from(LessonProgress)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(LessonProgress.user_id == user_id, Module.course_id == course_id)
    )
    return db.scalar(query) > 0


def complete_module(db: Session, user: User, module: Module) -> Course | None:
    """Record a completed module; returns the course when this completes it."""
    if not db.scalar(
        select(ModuleCompletion.id).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == module.id
        )
    ):
        db.add(ModuleCompletion(user_id=user.id, module_id=module.id))
        db.flush()
    return _complete_course_if_done(db, user, module.course)


def _complete_course_if_done(db: Session, user: User, course: Course) -> Course | None:
    if db.scalar(
        select(CourseCompletion.id).where(
            CourseCompletion.user_id == user.id, CourseCompletion.course_id == course.id
        )
    ):
        return None
    module_ids = {m.id for m in course.modules if not m.retired}
    done = set(
        db.scalars(
            select(ModuleCompletion.module_id).where(
                ModuleCompletion.user_id == user.id, ModuleCompletion.module_id.in_(module_ids)
            )
        )
    )
    if not course_complete(module_ids, done):
        return None
    completion = CourseCompletion(user_id=user.id, course_id=course.id)
    db.add(completion)
    db.flush()
    rollups.bump(
        db, _member_team(user), course.id, completed_at=completion.completed_at, completed=1
    )
    return course
