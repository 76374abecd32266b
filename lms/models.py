"""Every model, imported in one place for Alembic and the test suite."""

from lms.accounts.models import User
from lms.certificates.models import Certificate, SerialCounter
from lms.courses.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Module,
    ModuleCompletion,
)
from lms.db import Base
from lms.quizzes.models import Option, Question, Quiz, QuizAttempt
from lms.reports.models import TeamRollup
from lms.units.models import Team, Unit

__all__ = [
    "Base",
    "Certificate",
    "Course",
    "CourseCompletion",
    "Lesson",
    "LessonProgress",
    "Module",
    "ModuleCompletion",
    "Option",
    "Question",
    "Quiz",
    "QuizAttempt",
    "SerialCounter",
    "Team",
    "TeamRollup",
    "Unit",
    "User",
]
