import shutil

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.courses.models import Course, CourseCompletion
from lms.reports.models import TeamRollup
from lms.units.models import Team
from tests.conftest import FIXTURES


def _prepare(runner, tmp_path):
    """Units from the official list, and a member course made from the sample course."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", root)
    course = root / "mau" / "course.toml"
    course.write_text(
        course.read_text(encoding="utf-8").replace('"citizen"', '"member"'), encoding="utf-8"
    )
    rules = root / "rules.toml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("tracks.citizen", "tracks.member"),
        encoding="utf-8",
    )
    assert runner.invoke(args=["lms", "units", "import"]).exit_code == 0
    result = runner.invoke(args=["lms", "content", "sync", "--dir", str(root)])
    assert result.exit_code == 0, result.output


def test_demo_adds_teams_members_progress_and_logins_once(runner, db, tmp_path):
    _prepare(runner, tmp_path)

    result = runner.invoke(args=["lms", "demo"])

    assert result.exit_code == 0, result.output
    assert "Tài khoản mẫu" in result.output and "admin" in result.output
    teams = db.scalar(select(func.count()).select_from(Team))
    assert teams >= 200
    members = db.scalar(select(func.count()).select_from(User).where(User.role == "member"))
    assert 4 * teams <= members <= 9 * teams + 1
    for role in ("admin", "province_official", "commune_official", "team_leader", "citizen"):
        assert db.scalar(select(User.id).where(User.role == role)), role
    course = db.scalar(select(Course))
    completed = db.scalar(select(func.count()).select_from(CourseCompletion))
    assert 0 < completed < members
    rolled = db.scalar(
        select(func.sum(TeamRollup.completed)).where(TeamRollup.course_id == course.id)
    )
    assert rolled == completed

    again = runner.invoke(args=["lms", "demo"])
    assert again.exit_code == 0 and "đã có" in again.output
    assert db.scalar(select(func.count()).select_from(Team)) == teams
