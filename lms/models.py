"""Every model, imported in one place for Alembic and the test suite."""

from lms.accounts.models import User, UserSession
from lms.accounts.onetime import OneTimeCode
from lms.accounts.tokens import ApiToken
from lms.audit.models import AuditEvent
from lms.certificates.models import Certificate, SerialCounter
from lms.contributions.models import (
    AssistedSession,
    TeamContribution,
    TeamDay,
    UnitContribution,
)
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
from lms.reports.models import (
    FeaturedTopic,
    MemberActivity,
    RollupJob,
    Target,
    TeamRollup,
    UnitRollup,
)
from lms.units.models import Team, Unit

__all__ = [
    "AuditEvent",
    "ApiToken",
    "AssistedSession",
    "Base",
    "Certificate",
    "Course",
    "CourseCompletion",
    "FeaturedTopic",
    "Lesson",
    "LessonProgress",
    "MemberActivity",
    "Module",
    "ModuleCompletion",
    "OneTimeCode",
    "Option",
    "Question",
    "Quiz",
    "QuizAttempt",
    "RollupJob",
    "SerialCounter",
    "Target",
    "Team",
    "TeamContribution",
    "TeamDay",
    "TeamRollup",
    "Unit",
    "UnitContribution",
    "UnitRollup",
    "User",
    "UserSession",
]
