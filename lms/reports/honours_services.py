"""Honours standings from the roll-ups, through the report scope.

All time reads the undated roll-ups (one row per child). A period sums `team_days` rows
from the period's first day, through the indexes on (commune|district|province, day), so
the work grows with the teams under the unit and the days they had activity, not with
learners or lessons.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Float, and_, cast, func, select
from sqlalchemy.orm import Session

from lms.contributions.models import TeamContribution, TeamDay, UnitContribution
from lms.courses.models import Course
from lms.reports.coverage import team_counts
from lms.reports.honours import Standing
from lms.reports.models import TeamRollup, UnitRollup
from lms.reports.scope import NATIONAL_CODE, NATIONAL_NAME, Scope, find_unit
from lms.reports.targets import LEVEL_COLUMN
from lms.units.models import Team, Unit

TOP_TEAMS = 10


@dataclass
class Honours:
    code: str
    name: str
    children: list[Standing]
    child_kind: str  # "unit" or "team"
    teams: list[Standing]  # the best teams by each measure in the scope (above a commune)


def _zero():
    return (0, 0, 0)


def _unit_children(db: Session, parent: Unit | None, course: Course, start: date | None):
    where = Unit.parent_id.is_(None) if parent is None else Unit.parent_id == parent.id
    members = func.coalesce(UnitRollup.members, 0)
    query = (
        select(Unit.id, Unit.code, Unit.name, members, func.coalesce(UnitRollup.completed, 0))
        .outerjoin(
            UnitRollup, and_(UnitRollup.unit_id == Unit.id, UnitRollup.course_id == course.id)
        )
        .where(where)
    )
    units = db.execute(query).all()
    teams = team_counts(db, parent)
    if start is None:
        sums = {
            unit_id: (reached, sessions)
            for unit_id, reached, sessions in db.execute(
                select(
                    UnitContribution.unit_id, UnitContribution.reached, UnitContribution.sessions
                ).where(UnitContribution.unit_id.in_([u[0] for u in units]))
            )
        }
        return [
            Standing("unit", code, name, members, done, *sums.get(uid, (0, 0)), teams.get(code, 0))
            for uid, code, name, members, done in units
        ]
    key = _child_key(parent)
    found = _day_sums(db, key, _scope_filter(parent), course, start)
    return [
        Standing("unit", code, name, members, *found.get(uid, _zero()), teams.get(code, 0))
        for uid, code, name, members, _done in units
    ]


def _child_key(parent: Unit | None):
    if parent is None:
        return TeamDay.province_id
    if parent.level == "province":
        return func.coalesce(TeamDay.district_id, TeamDay.commune_id)
    return TeamDay.commune_id


def _scope_filter(unit: Unit | None):
    return None if unit is None else getattr(TeamDay, LEVEL_COLUMN[unit.level]) == unit.id


def _day_sums(db: Session, key, where, course: Course, start: date) -> dict:
    """key → (completed of the course, reached, sessions) from day rows since start."""
    query = _day_sums_query(key, where, course, start)
    return {k: (int(c or 0), int(r or 0), int(s or 0)) for k, c, r, s in db.execute(query)}


def _day_sums_query(key, where, course: Course, start: date):
    completed = func.sum(func.coalesce(TeamDay.completed, 0)).filter(TeamDay.course_id == course.id)
    query = (
        select(
            key,
            func.coalesce(completed, 0),
            func.sum(TeamDay.reached).filter(TeamDay.course_id.is_(None)),
            func.sum(TeamDay.sessions).filter(TeamDay.course_id.is_(None)),
        )
        .where(TeamDay.day >= start)
        .where((TeamDay.course_id == course.id) | TeamDay.course_id.is_(None))
        .group_by(key)
    )
    if where is not None:
        query = query.where(where)
    return query


def _teams(db: Session, unit: Unit | None, course: Course, start: date | None) -> list[Standing]:
    """Every team under the unit (None: the country), with its figures."""
    query = (
        select(Team.id, Team.code, Team.name, func.coalesce(TeamRollup.members, 0))
        .join(Unit, Unit.id == Team.commune_id)
        .outerjoin(
            TeamRollup, and_(TeamRollup.team_id == Team.id, TeamRollup.course_id == course.id)
        )
        .add_columns(
            func.coalesce(TeamRollup.completed, 0),
            func.coalesce(TeamContribution.reached, 0),
            func.coalesce(TeamContribution.sessions, 0),
        )
        .outerjoin(TeamContribution, TeamContribution.team_id == Team.id)
    )
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    rows = db.execute(query).all()
    if start is None:
        return [Standing("team", c, n, m, d, r, s) for _i, c, n, m, d, r, s in rows]
    found = _day_sums(db, TeamDay.team_id, _scope_filter(unit), course, start)
    return [Standing("team", c, n, m, *found.get(i, _zero())) for i, c, n, m, *_ in rows]


def _top_teams(db: Session, unit: Unit | None, course: Course) -> list:
    """The best TOP_TEAMS teams of all time under the unit by each measure, ranked in SQL."""
    members = func.coalesce(TeamRollup.members, 0)
    figures = (
        func.coalesce(TeamRollup.completed, 0),
        func.coalesce(TeamContribution.reached, 0),
        func.coalesce(TeamContribution.sessions, 0),
    )
    query = select(Team.code, Team.name, members, *figures).outerjoin(
        TeamContribution, TeamContribution.team_id == Team.id
    )
    query = query.join(Unit, Unit.id == Team.commune_id).outerjoin(
        TeamRollup, and_(TeamRollup.team_id == Team.id, TeamRollup.course_id == course.id)
    )
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    share = cast(figures[0], Float) / func.nullif(members, 0)
    orders = (func.coalesce(share, 0).desc(), (figures[1] + figures[2]).desc())
    found: dict[str, Standing] = {}
    for order in orders:
        for row in db.execute(query.order_by(order, Team.name, Team.code).limit(TOP_TEAMS)):
            found[row[0]] = Standing("team", *row)
    return list(found.values())


def _best_teams(db: Session, unit: Unit | None, course: Course, start: date | None) -> list:
    """All time: the best teams ranked in SQL from the roll-ups; a period: every team with its
    sums (one grouped pass over the day rows is cheaper than one per measure)."""
    if start is None:
        return _top_teams(db, unit, course)
    return _teams(db, unit, course, start)


def honours(
    db: Session, scope: Scope, code: str, course: Course, start: date | None
) -> Honours | None:
    """Standings of the unit's children and teams; None when the scope does not cover code."""
    if code == NATIONAL_CODE:
        if not scope.everything:
            return None
        children = _unit_children(db, None, course, start)
        return Honours(
            code, str(NATIONAL_NAME), children, "unit", _best_teams(db, None, course, start)
        )
    unit = find_unit(db, scope, code)
    if unit is None:
        return None
    if unit.level == "commune":
        return Honours(unit.code, unit.name, _teams(db, unit, course, start), "team", [])
    children = _unit_children(db, unit, course, start)
    return Honours(unit.code, unit.name, children, "unit", _best_teams(db, unit, course, start))
