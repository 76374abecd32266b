"""A member's modules in a course: how far they got in each (for the member page)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.courses.models import Course, LessonProgress, ModuleCompletion
from lms.quizzes.models import Quiz, QuizAttempt


@dataclass
class ModuleStatus:
    title: str
    lessons: int
    lessons_done: int
    completed: bool
    best_score: int | None


def member_modules(db: Session, member: User, course: Course) -> list[ModuleStatus]:
    """Each active module of the course and how far the member got in it."""
    modules = [m for m in course.modules if not m.retired]
    done_lessons = set(
        db.scalars(select(LessonProgress.lesson_id).where(LessonProgress.user_id == member.id))
    )
    done_modules = set(
        db.scalars(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == member.id))
    )
    best = dict(
        db.execute(
            select(Quiz.module_id, func.max(QuizAttempt.score_percent))
            .join(QuizAttempt, QuizAttempt.quiz_id == Quiz.id)
            .where(QuizAttempt.user_id == member.id, QuizAttempt.submitted_at.is_not(None))
            .group_by(Quiz.module_id)
        ).all()
    )
    statuses = []
    for module in modules:
        lessons = [lesson.id for lesson in module.lessons if not lesson.retired]
        statuses.append(
            ModuleStatus(
                title=module.title,
                lessons=len(lessons),
                lessons_done=len(done_lessons.intersection(lessons)),
                completed=module.id in done_modules,
                best_score=best.get(module.id),
            )
        )
    return statuses
