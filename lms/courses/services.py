"""Reading courses for learners, and recording what they read; services flush, callers commit."""

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.certificates.services import issue_certificate
from lms.courses import progress
from lms.courses.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Module,
    ModuleCompletion,
)
from lms.courses.rules import module_complete
from lms.quizzes.models import Quiz

# Content folders are named by slugs; anything else cannot name a course, module or lesson.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slugs(*values: str) -> bool:
    return all(len(value) <= 80 and SLUG.match(value) for value in values)


@dataclass
class CourseListing:
    course: Course
    module_count: int
    lesson_count: int


@dataclass
class LessonOutline:
    lesson: Lesson
    completed: bool


@dataclass
class ModuleOutline:
    module: Module
    lessons: list[LessonOutline]
    quiz: Quiz | None
    completed: bool


@dataclass
class CourseOutline:
    course: Course
    modules: list[ModuleOutline]
    completed: bool


@dataclass
class CourseProgress:
    course: Course
    completed: bool = False
    lessons_done: int = 0
    lessons_total: int = 0
    modules_done: int = 0
    modules_total: int = 0
    lesson_ids_done: set[int] = field(default_factory=set)


def active_modules(course: Course) -> list[Module]:
    return [module for module in course.modules if not module.retired]


def active_lessons(module: Module) -> list[Lesson]:
    return [lesson for lesson in module.lessons if not lesson.retired]


def _active_courses(db: Session) -> list[Course]:
    query = (
        select(Course)
        .where(Course.retired.is_(False))
        .order_by(Course.position, Course.id)
        .options(selectinload(Course.modules).selectinload(Module.lessons))
    )
    return list(db.scalars(query))


def list_courses(db: Session) -> list[CourseListing]:
    """Every active course in order, with its counts of active modules and lessons."""
    return [
        CourseListing(
            course,
            len(active_modules(course)),
            sum(len(active_lessons(m)) for m in active_modules(course)),
        )
        for course in _active_courses(db)
    ]


def get_course(db: Session, slug: str) -> Course | None:
    """The active course with this slug."""
    if not _slugs(slug):
        return None
    return db.scalar(select(Course).where(Course.slug == slug, Course.retired.is_(False)))


def find_module(db: Session, course_slug: str, module_slug: str) -> Module | None:
    """The active module of an active course, by slugs."""
    if not _slugs(course_slug, module_slug):
        return None
    query = (
        select(Module)
        .join(Course, Course.id == Module.course_id)
        .where(Course.slug == course_slug, Course.retired.is_(False))
        .where(Module.slug == module_slug, Module.retired.is_(False))
    )
    return db.scalar(query)


def find_lesson(db: Session, course_slug: str, module_slug: str, lesson_slug: str):
    """The active lesson of an active module and course, by slugs; None when any is missing."""
    if not _slugs(course_slug, module_slug, lesson_slug):
        return None
    query = (
        select(Lesson)
        .join(Module, Module.id == Lesson.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(Course.slug == course_slug, Course.retired.is_(False))
        .where(Module.slug == module_slug, Module.retired.is_(False))
        .where(Lesson.slug == lesson_slug, Lesson.retired.is_(False))
    )
    return db.scalar(query)


def course_lessons(course: Course) -> list[Lesson]:
    """The course's active lessons in reading order, across its modules."""
    return [lesson for module in active_modules(course) for lesson in active_lessons(module)]


def lesson_neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after this one in the course's reading order."""
    lessons = course_lessons(lesson.module.course)
    index = next(i for i, other in enumerate(lessons) if other.id == lesson.id)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following


def quizzes_by_module(db: Session, module_ids) -> dict[int, Quiz]:
    query = select(Quiz).where(Quiz.module_id.in_(list(module_ids)))
    return {quiz.module_id: quiz for quiz in db.scalars(query)}


def course_outline(db: Session, course: Course, user: User | None) -> CourseOutline:
    """The course's active modules and lessons, marked with what the user has completed."""
    modules = active_modules(course)
    quizzes = quizzes_by_module(db, [m.id for m in modules])
    lessons_done = _lesson_ids_done(db, user)
    modules_done = _module_ids_done(db, user)
    outlines = [
        ModuleOutline(
            module=module,
            lessons=[LessonOutline(x, x.id in lessons_done) for x in active_lessons(module)],
            quiz=quizzes.get(module.id),
            completed=module.id in modules_done,
        )
        for module in modules
    ]
    return CourseOutline(course, outlines, course.id in _course_ids_done(db, user))


def _lesson_ids_done(db: Session, user: User | None) -> set[int]:
    if user is None:
        return set()
    query = select(LessonProgress.lesson_id).where(LessonProgress.user_id == user.id)
    return set(db.scalars(query))


def _module_ids_done(db: Session, user: User | None) -> set[int]:
    if user is None:
        return set()
    query = select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user.id)
    return set(db.scalars(query))


def _course_ids_done(db: Session, user: User | None) -> set[int]:
    if user is None:
        return set()
    query = select(CourseCompletion.course_id).where(CourseCompletion.user_id == user.id)
    return set(db.scalars(query))


def progress_summary(db: Session, user: User | None) -> list[CourseProgress]:
    """Per active course: lessons and modules done out of the active ones, and completion."""
    lessons_done = _lesson_ids_done(db, user)
    modules_done = _module_ids_done(db, user)
    courses_done = _course_ids_done(db, user)
    summary = []
    for course in _active_courses(db):
        modules = active_modules(course)
        lesson_ids = {lesson.id for lesson in course_lessons(course)}
        summary.append(
            CourseProgress(
                course=course,
                completed=course.id in courses_done,
                lessons_done=len(lesson_ids & lessons_done),
                lessons_total=len(lesson_ids),
                modules_done=sum(m.id in modules_done for m in modules),
                modules_total=len(modules),
                lesson_ids_done=lesson_ids & lessons_done,
            )
        )
    return summary


def finish_module(db: Session, user: User, module: Module) -> Course | None:
    """Complete a module; when that completes the course, a registered user gets a certificate."""
    course = progress.complete_module(db, user, module)
    if course is not None and not user.is_guest:
        issue_certificate(db, user, course)
    return course


def record_lesson_done(db: Session, user: User, lesson: Lesson) -> bool:
    """Mark the lesson read; a module without a quiz completes when all its lessons are read."""
    newly = progress.mark_lesson_done(db, user, lesson)
    module = lesson.module
    if quizzes_by_module(db, [module.id]):
        return newly
    lesson_ids = {x.id for x in active_lessons(module)}
    if module_complete(False, False, _lesson_ids_done(db, user) & lesson_ids, lesson_ids):
        finish_module(db, user, module)
    return newly


def started_course_ids(db: Session, user_id: int) -> set[int]:
    """The ids of courses in which the user has read at least one lesson."""
    query = (
        select(Module.course_id)
        .join(Lesson, Lesson.module_id == Module.id)
        .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
        .where(LessonProgress.user_id == user_id)
        .group_by(Module.course_id)
    )
    return set(db.scalars(query))
