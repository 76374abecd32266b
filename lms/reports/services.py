"""Building reports from the roll-ups, always through the scope in lms/reports/scope.py.

Unit pages read one unit_rollups row per child unit (or one team_rollups row per team for a
commune); nothing here recounts raw progress, except a team's own member list, which is
bounded by the size of one team.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.contributions.models import AssistedSession, TeamContribution, UnitContribution
from lms.contributions.steps import STEP_KEYS
from lms.courses.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Module,
)
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizAttempt
from lms.reports import activity
from lms.reports.coverage import team_counts
from lms.reports.models import MemberActivity, TeamRollup, UnitRollup
from lms.reports.scope import (
    MEMBER_ROLES,
    NATIONAL_CODE,
    NATIONAL_NAME,
    Scope,
    find_team,
    find_unit,
    sees_country,
)
from lms.reports.tables import CONTRIBUTION_FIELDS, ReportRow, below, sort_rows, totals
from lms.units.models import Team, Unit

COUNTERS = ("members", "started", "completed", "quiz_attempts", "quiz_passes", "active_30d")
ROW_FIELDS = (*COUNTERS, *CONTRIBUTION_FIELDS)


class ReportError(ValueError):
    """A report request that names something that does not exist (message for the user)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Place:
    kind: str  # "country", "unit" or "team"
    code: str
    name: str
    level: str
    parent_code: str | None = None


@dataclass
class Report:
    place: Place
    course: Course
    rows: list[ReportRow]
    totals: ReportRow
    as_of: datetime | None
    child_kind: str
    sort: str = "name"
    descending: bool = False
    threshold: float | None = None
    trail: list[Place] = field(default_factory=list)


def courses(db: Session) -> list[Course]:
    """Courses a report can be about, member course first."""
    order = {"member": 0, "official": 1, "citizen": 2}
    found = db.scalars(select(Course).where(Course.retired.is_(False))).all()
    return sorted(found, key=lambda c: (order.get(c.track, 9), c.position, c.slug))


def choose_course(db: Session, slug: str | None) -> Course:
    """The course named by slug, else the member course; ReportError when there is none."""
    if slug:
        course = db.scalar(select(Course).where(Course.slug == slug))
        if course is None:
            raise ReportError(_("Không có khoá học '%(slug)s'.", slug=slug), field="course")
        return course
    available = courses(db)
    if not available:
        raise ReportError(_("Chưa có khoá học nào."), field="course")
    return available[0]


def _counters(source, contribution) -> list:
    """The course counters of a roll-up row, then the team contribution counters."""
    return [func.coalesce(getattr(source, name), 0) for name in COUNTERS] + [
        func.coalesce(getattr(contribution, name), 0) for name in CONTRIBUTION_FIELDS
    ]


def _row(kind: str, code: str, name: str, values) -> ReportRow:
    return ReportRow(kind, code, name, **dict(zip(ROW_FIELDS, values, strict=True)))


def unit_report(db: Session, scope: Scope, code: str, course: Course) -> Report | None:
    """Per child unit (or per team for a commune); None when the scope does not cover code."""
    if code == NATIONAL_CODE:
        if not sees_country(scope):
            return None
        place = Place("country", NATIONAL_CODE, str(NATIONAL_NAME), "country")
        rows, child_kind = _child_unit_rows(db, None, course), "unit"
        trail = []
    else:
        unit = find_unit(db, scope, code)
        if unit is None:
            return None
        place = _unit_place(unit)
        if unit.level == "commune":
            rows, child_kind = _team_rows(db, unit, course), "team"
        else:
            rows, child_kind = _child_unit_rows(db, unit, course), "unit"
        trail = _trail(db, scope, unit)
    total = totals(rows, "total", place.code, place.name)
    return Report(place, course, rows, total, activity.as_of(db), child_kind, trail=trail)


def _unit_place(unit: Unit) -> Place:
    return Place("unit", unit.code, unit.name, unit.level)


def _trail(db: Session, scope: Scope, unit: Unit) -> list[Place]:
    """The unit's ancestors the scope covers, for the breadcrumb (country first for admins)."""
    codes = [code for code in unit.path.strip("/").split("/")[:-1] if code]
    trail = (
        [Place("country", NATIONAL_CODE, str(NATIONAL_NAME), "country")] if scope.everything else []
    )
    if codes:
        found = {u.code: u for u in db.scalars(select(Unit).where(Unit.code.in_(codes)))}
        trail += [
            _unit_place(found[code])
            for code in codes
            if code in found and scope.covers_path(found[code].path)
        ]
    return trail


def _child_unit_rows(db: Session, unit: Unit | None, course: Course) -> list[ReportRow]:
    parent = Unit.parent_id.is_(None) if unit is None else Unit.parent_id == unit.id
    query = (
        select(Unit.code, Unit.name, *_counters(UnitRollup, UnitContribution))
        .outerjoin(
            UnitRollup, and_(UnitRollup.unit_id == Unit.id, UnitRollup.course_id == course.id)
        )
        .outerjoin(UnitContribution, UnitContribution.unit_id == Unit.id)
        .where(parent)
        .order_by(Unit.code)
    )
    teams = team_counts(db, unit)
    return [
        replace(_row("unit", code, name, values), teams=teams.get(code, 0))
        for code, name, *values in db.execute(query)
    ]


def _team_rows(db: Session, commune: Unit, course: Course) -> list[ReportRow]:
    query = (
        select(Team.code, Team.name, *_counters(TeamRollup, TeamContribution))
        .outerjoin(
            TeamRollup, and_(TeamRollup.team_id == Team.id, TeamRollup.course_id == course.id)
        )
        .outerjoin(TeamContribution, TeamContribution.team_id == Team.id)
        .where(Team.commune_id == commune.id)
        .order_by(Team.code)
    )
    return [_row("team", code, name, values) for code, name, *values in db.execute(query)]


def team_report(db: Session, scope: Scope, code: str, course: Course) -> Report | None:
    """Per member of one team; None when the scope does not cover the team."""
    team = find_team(db, scope, code)
    if team is None:
        return None
    place = Place("team", team.code, team.name, "team", parent_code=team.commune.code)
    rows = _member_rows(db, team, course)
    total = _team_total(db, team, totals(rows, "total", team.code, team.name))
    trail = _trail(db, scope, team.commune)
    if scope.covers_path(team.commune.path):
        trail.append(_unit_place(team.commune))
    return Report(place, course, rows, total, activity.as_of(db), "member", trail=trail)


def _team_total(db: Session, team: Team, total: ReportRow) -> ReportRow:
    """Contribution belongs to the team (links count for it, members come and go)."""
    found = db.get(TeamContribution, team.id)
    values = {name: getattr(found, name) if found else 0 for name in CONTRIBUTION_FIELDS}
    return replace(total, **values)


def _sessions_by_member(db: Session, team: Team) -> dict[int, tuple[int, int]]:
    steps = sum(getattr(AssistedSession, key).cast(Integer) for key in STEP_KEYS)
    query = (
        select(AssistedSession.member_id, func.count(), func.sum(steps))
        .where(AssistedSession.team_id == team.id)
        .group_by(AssistedSession.member_id)
    )
    return {member: (n, int(done or 0)) for member, n, done in db.execute(query)}


def team_members(db: Session, team: Team) -> list[User]:
    query = select(User).where(User.team_id == team.id, User.role.in_(MEMBER_ROLES))
    return list(db.scalars(query.order_by(User.full_name, User.id)))


def _per_user(db: Session, query) -> dict[int, int]:
    return dict(db.execute(query).all())


def _member_rows(db: Session, team: Team, course: Course) -> list[ReportRow]:
    members = team_members(db, team)
    ids = [member.id for member in members]
    in_team = User.id.in_(ids)
    started = _per_user(
        db,
        select(User.id, func.count())
        .join(LessonProgress, LessonProgress.user_id == User.id)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(in_team, Module.course_id == course.id)
        .group_by(User.id),
    )
    completed = set(
        db.scalars(
            select(CourseCompletion.user_id).where(
                CourseCompletion.user_id.in_(ids), CourseCompletion.course_id == course.id
            )
        )
    )
    attempts = _attempt_counts(db, ids, course)
    sessions = _sessions_by_member(db, team)
    since = (activity.as_of(db) or utcnow()) - activity.WINDOW
    active = set(
        db.scalars(
            select(MemberActivity.user_id).where(
                MemberActivity.user_id.in_(ids), MemberActivity.last_active_at >= since
            )
        )
    )
    return [
        ReportRow(
            "member",
            str(member.id),
            member.full_name,
            members=1,
            started=int(member.id in started),
            completed=int(member.id in completed),
            quiz_attempts=attempts.get(member.id, (0, 0))[0],
            quiz_passes=attempts.get(member.id, (0, 0))[1],
            active_30d=int(member.id in active),
            sessions=sessions.get(member.id, (0, 0))[0],
            steps=sessions.get(member.id, (0, 0))[1],
        )
        for member in members
    ]


def _attempt_counts(db: Session, ids: list[int], course: Course) -> dict[int, tuple[int, int]]:
    passed = func.sum(case((QuizAttempt.passed.is_(True), 1), else_=0))
    query = (
        select(QuizAttempt.user_id, func.count(), passed)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Module, Module.id == Quiz.module_id)
        .where(
            QuizAttempt.user_id.in_(ids),
            QuizAttempt.submitted_at.is_not(None),
            Module.course_id == course.id,
        )
        .group_by(QuizAttempt.user_id)
    )
    return {user: (count, int(passes or 0)) for user, count, passes in db.execute(query)}


def arrange(report: Report, sort: str, descending: bool, threshold: float | None) -> Report:
    """The report's rows filtered by threshold and sorted: what the page and exports show."""
    report.rows = sort_rows(below(report.rows, threshold), sort, descending)
    report.sort, report.descending, report.threshold = sort, descending, threshold
    return report
