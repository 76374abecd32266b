"""Write checked content specs into the database, keyed by slugs; never deletes history."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.specs import CourseSpec, ModuleSpec, QuestionSpec, QuizSpec
from lms.courses.models import Course, Lesson, Module
from lms.quizzes.models import Option, Question, Quiz, new_revision


@dataclass
class SyncCounts:
    courses: int = 0
    modules: int = 0
    lessons: int = 0
    questions: int = 0
    retired: int = 0


def sync_courses(db: Session, specs: list[CourseSpec]) -> SyncCounts:
    """Create or update every course, retiring what the files no longer contain."""
    counts = SyncCounts()
    existing = {course.slug: course for course in db.scalars(select(Course))}
    for spec in specs:
        course = existing.pop(spec.slug, None) or _add(db, Course(slug=spec.slug))
        course.title, course.track, course.summary = spec.title, spec.track, spec.summary
        course.position, course.retired = spec.order, False
        db.flush()
        _sync_modules(db, course, spec.modules, counts)
        counts.courses += 1
    for course in existing.values():
        counts.retired += not course.retired
        course.retired = True
    db.flush()
    return counts


def _add(db: Session, row):
    db.add(row)
    return row


def _sync_modules(db: Session, course: Course, specs, counts: SyncCounts) -> None:
    existing = {module.slug: module for module in course.modules}
    for spec in specs:
        module = existing.pop(spec.slug, None) or _add(
            db, Module(course_id=course.id, slug=spec.slug)
        )
        module.title, module.summary = spec.title, spec.summary
        module.position, module.retired = spec.order, False
        db.flush()
        _sync_lessons(db, module, spec, counts)
        if spec.quiz is not None:
            _sync_quiz(db, module, spec.quiz, counts)
        counts.modules += 1
    for module in existing.values():
        counts.retired += not module.retired
        module.retired = True


def _sync_lessons(db: Session, module: Module, spec: ModuleSpec, counts: SyncCounts) -> None:
    existing = {lesson.slug: lesson for lesson in module.lessons}
    for lesson_spec in spec.lessons:
        lesson = existing.pop(lesson_spec.slug, None) or _add(
            db, Lesson(module_id=module.id, slug=lesson_spec.slug)
        )
        lesson.title, lesson.minutes = lesson_spec.title, lesson_spec.minutes
        lesson.position, lesson.html = lesson_spec.order, lesson_spec.html
        lesson.word_count, lesson.sources = lesson_spec.word_count, list(lesson_spec.sources)
        lesson.retired = False
        counts.lessons += 1
    for lesson in existing.values():
        counts.retired += not lesson.retired
        lesson.retired = True


def _sync_quiz(db: Session, module: Module, spec: QuizSpec, counts: SyncCounts) -> None:
    quiz = db.scalar(select(Quiz).where(Quiz.module_id == module.id))
    if quiz is None:
        quiz = _add(db, Quiz(module_id=module.id))
        db.flush()
    quiz.pass_percent, quiz.draw_count = spec.pass_percent, spec.draw
    quiz.revision = new_revision()
    existing = {question.key: question for question in quiz.questions}
    for position, question_spec in enumerate(spec.questions):
        question = existing.pop(question_spec.key, None) or _add(
            db, Question(quiz_id=quiz.id, key=question_spec.key)
        )
        question.position, question.retired = position, False
        question.kind, question.text = question_spec.kind, question_spec.text
        question.explanation = question_spec.explanation
        db.flush()
        _sync_question(db, question, question_spec)
        counts.questions += 1
    for question in existing.values():
        counts.retired += not question.retired
        question.retired = True


def _sync_question(db: Session, question: Question, spec: QuestionSpec) -> None:
    existing = {option.position: option for option in question.options}
    for position, option_spec in enumerate(spec.options):
        option = existing.pop(position, None) or _add(
            db, Option(question_id=question.id, position=position)
        )
        option.text, option.correct = option_spec.text, option_spec.correct
        option.explanation, option.retired = option_spec.explanation, False
    for option in existing.values():
        option.retired = True
