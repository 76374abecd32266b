from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.courses.models import LessonProgress
from lms.db import utcnow
from lms.quizzes.models import QuizAttempt
from lms.reports.activity import as_of, refresh_activity
from lms.reports.models import TeamRollup, UnitRollup
from lms.reports.rollups import rebuild_rollups
from tests.reports_support import brute_force, build_country, counts_of

COUNTERS = ("members", "started", "completed", "quiz_attempts", "quiz_passes", "active_30d")


@pytest.fixture
def country(db):
    return build_country(db)


def _table(db, model, key):
    rows = db.scalars(select(model)).all()
    return {(getattr(r, key), r.course_id): counts_of(r) for r in rows}


def _team_ids(country, *keys):
    return [country.teams[k].id for k in keys]


def test_rebuild_counts_equal_brute_force_for_teams_and_units(db, country):
    refresh_activity(db)
    rebuild_rollups(db)
    course = country.course
    for key, team in country.teams.items():
        row = db.scalar(
            select(TeamRollup).where(
                TeamRollup.team_id == team.id, TeamRollup.course_id == course.id
            )
        )
        assert counts_of(row) == brute_force(db, [team.id], course), key
    units = {"P1": "ABC", "D1": "AB", "C1": "AB", "C2": "C", "P2": "D", "C3": "D"}
    for unit_key, team_keys in units.items():
        row = db.scalar(
            select(UnitRollup).where(
                UnitRollup.unit_id == country.units[unit_key].id,
                UnitRollup.course_id == course.id,
            )
        )
        assert counts_of(row) == brute_force(db, _team_ids(country, *team_keys), course)
        assert row.teams == len(team_keys)


def test_bumps_in_the_same_transaction_equal_a_rebuild(db, country):
    refresh_activity(db)
    bumped_teams = _table(db, TeamRollup, "team_id")
    bumped_units = _table(db, UnitRollup, "unit_id")
    assert bumped_teams and bumped_units
    rebuild_rollups(db)
    assert _table(db, TeamRollup, "team_id") == bumped_teams
    assert _table(db, UnitRollup, "unit_id") == bumped_units


def test_partial_rebuild_touches_only_the_named_teams_and_their_units(db, country):
    rebuild_rollups(db)
    before = _table(db, UnitRollup, "unit_id")
    member = country.members["D"][0]
    member.team_id = country.teams["A"].id
    db.flush()
    rebuild_rollups(db, _team_ids(country, "A", "D"))
    after = _table(db, UnitRollup, "unit_id")
    course = country.course.id
    p1 = (country.units["P1"].id, course)
    p2 = (country.units["P2"].id, course)
    assert after[p1]["members"] == before[p1]["members"] + 1
    assert after[p2]["members"] == before[p2]["members"] - 1
    assert after[(country.units["C2"].id, course)] == before[(country.units["C2"].id, course)]
    for unit_key, team_keys in {"P1": "ABC", "P2": "D"}.items():
        expected = brute_force(db, _team_ids(country, *team_keys), country.course)
        assert after[(country.units[unit_key].id, course)] == expected


def test_refresh_counts_recent_activity_and_lets_old_activity_fall_out(db, country):
    rebuild_rollups(db)
    first = as_of(db)
    assert first is not None
    team = country.teams["A"]
    active_before = brute_force(db, [team.id], country.course)["active_30d"]
    assert active_before == 3
    # a month passes without activity for the team's members: they drop out
    later = utcnow() + timedelta(days=31)
    result = refresh_activity(db, now=later)
    assert result.teams >= 1 and as_of(db) == later
    row = db.scalar(select(TeamRollup).where(TeamRollup.team_id == team.id))
    assert (
        row.active_30d == 0 == brute_force(db, [team.id], country.course, now=later)["active_30d"]
    )
    # new activity is folded in on the next run, and only the changed team is recounted
    idle = country.members["A"][0]
    db.add(LessonProgress(user_id=idle.id, lesson_id=_some_lesson(db), completed_at=later))
    db.flush()
    result = refresh_activity(db, now=later + timedelta(minutes=10))
    assert result.members == 1 and result.teams == 1
    db.expire_all()
    rows = db.scalars(select(TeamRollup).where(TeamRollup.team_id == team.id)).all()
    assert {r.active_30d for r in rows} == {1}
    province = db.scalar(
        select(UnitRollup).where(
            UnitRollup.unit_id == country.units["P1"].id,
            UnitRollup.course_id == country.course.id,
        )
    )
    assert province.active_30d == 1


def _some_lesson(db):
    from lms.courses.models import Lesson

    return db.scalar(select(Lesson.id).order_by(Lesson.id.desc()))


def test_quiz_attempts_are_counted_once_each(db, country):
    rebuild_rollups(db)
    submitted = db.scalar(
        select(QuizAttempt).where(QuizAttempt.user_id == country.members["A"][2].id).limit(1)
    )
    assert submitted is not None
    total = sum(
        r.quiz_attempts
        for r in db.scalars(select(UnitRollup).where(UnitRollup.course_id == country.course.id))
        if r.unit_id in (country.units["P1"].id, country.units["P2"].id)
    )
    assert total == brute_force(db, _team_ids(country, *"ABCD"), country.course)["quiz_attempts"]
