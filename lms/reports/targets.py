"""Targets: an official's goal for a unit and course, and how the unit and its teams stand.

Reads the roll-ups only: the unit's own row for its progress, and team rows (indexed by
commune, district and province) for the teams below the steady pace.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Float, cast, func, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.audit import services as audit
from lms.courses.models import Course
from lms.reports.models import Target, TeamRollup, UnitRollup
from lms.reports.pace import Pace, expected_percent, pace
from lms.units.models import Team, Unit

LAGGING_SHOWN = 10
LEVEL_COLUMN = {"commune": "commune_id", "district": "district_id", "province": "province_id"}


@dataclass
class LaggingTeam:
    code: str
    name: str
    members: int
    completed: int

    @property
    def percent(self) -> float:
        return round(100 * self.completed / self.members, 1) if self.members else 0.0


@dataclass
class TargetStatus:
    target: Target
    pace: Pace
    lagging: list[LaggingTeam]
    lagging_count: int


def _unit_figures(db: Session, unit: Unit, course: Course) -> tuple[int, int]:
    row = db.scalar(
        select(UnitRollup).where(UnitRollup.unit_id == unit.id, UnitRollup.course_id == course.id)
    )
    return (row.members, row.completed) if row else (0, 0)


def find_target(db: Session, unit: Unit, course: Course) -> Target | None:
    return db.scalar(select(Target).where(Target.unit_id == unit.id, Target.course_id == course.id))


def set_target(
    db: Session, unit: Unit, course: Course, percent: int, due: date, by: User, today: date
) -> Target:
    """Set (or replace) the unit's target for the course; the line starts today."""
    members, completed = _unit_figures(db, unit, course)
    target = find_target(db, unit, course) or Target(unit_id=unit.id, course_id=course.id)
    target.percent, target.due_on, target.set_on = percent, due, today
    target.baseline_percent = round(100 * completed / members, 1) if members else 0.0
    target.set_by_id = by.id
    db.add(target)
    db.flush()
    details = {"course": course.slug, "percent": percent, "due_on": due.isoformat()}
    audit.record(db, by, "reports.target", unit.code, **details)
    return target


def target_status(db: Session, unit: Unit, course: Course, today: date) -> TargetStatus | None:
    """The unit's target for the course with its pace and lagging teams, or None."""
    target = find_target(db, unit, course)
    if target is None:
        return None
    members, completed = _unit_figures(db, unit, course)
    args = (target.percent, target.due_on, today, members, completed, target.set_on)
    unit_pace = pace(*args, baseline=target.baseline_percent)
    expected = expected_percent(
        target.percent, target.baseline_percent, target.set_on, target.due_on, today
    )
    lagging, count = _lagging_teams(db, unit, course, expected)
    return TargetStatus(target, unit_pace, lagging, count)


def _lagging_teams(db: Session, unit: Unit, course: Course, expected: float):
    """Teams under the unit whose completion is below the expected percent today."""
    column = getattr(TeamRollup, LEVEL_COLUMN[unit.level])
    below = TeamRollup.completed * 100 < expected * TeamRollup.members
    where = (column == unit.id, TeamRollup.course_id == course.id, TeamRollup.members > 0, below)
    count = db.scalar(select(func.count()).select_from(TeamRollup).where(*where))
    share = cast(TeamRollup.completed, Float) / TeamRollup.members
    query = (
        select(Team.code, Team.name, TeamRollup.members, TeamRollup.completed)
        .join(Team, Team.id == TeamRollup.team_id)
        .where(*where)
        .order_by(share, Team.code)
        .limit(LAGGING_SHOWN)
    )
    return [LaggingTeam(*row) for row in db.execute(query)], count
