import re
import shutil

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.contributions.models import AssistedSession
from lms.courses.models import Course, CourseCompletion
from lms.demo import DEMO_PASSWORD
from lms.quizzes.models import QuizAttempt
from lms.reports.models import TeamRollup
from lms.reports.tables import COLUMNS
from lms.units.models import Team
from tests.conftest import FIXTURES
from tests.pages_support import new_client, post_form


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


def _sign_in(app, login: str):
    """Sign in on the page, without `next`; returns the client and where it landed."""
    client = new_client(app)
    answer = post_form(client, "/login", "/login", {"login": login, "password": DEMO_PASSWORD})
    assert answer.status_code == 302, login
    return client, answer.headers["Location"]


def _footer_cells(html: str) -> list[str]:
    footer = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    return re.findall(r"<td[^>]*>([^<]*)</td>", footer)


def test_demo_fills_every_column_of_the_officials_dashboards(app, runner, db, tmp_path):
    _prepare(runner, tmp_path)
    assert runner.invoke(args=["lms", "demo"]).exit_code == 0
    official = db.scalar(select(User).where(User.login == "xa"))

    client, landed = _sign_in(app, "xa")
    assert landed.endswith(f"/reports/units/{official.unit.code}")
    html = client.get(landed).get_data(as_text=True)
    cells = [cell for cell in _footer_cells(html) if cell]
    assert len(cells) == len(COLUMNS) - 2  # every measure of the totals row is shown
    for label, cell in zip([label for _k, label in COLUMNS[2:]], cells, strict=True):
        assert cell not in ("0", "0\u00a0%", "–"), f"{label} is empty: {cell}"
    assert "Chưa đặt chỉ tiêu" not in html and 'data-status="' in html

    province = db.scalar(select(User).where(User.login == "tinh")).unit
    client, landed = _sign_in(app, "tinh")
    assert landed.endswith(f"/reports/units/{province.code}")
    page = client.get(landed).get_data(as_text=True)
    assert "chưa có tổ" in page  # the demo leaves most communes without a team
    assert "Chưa đặt chỉ tiêu" not in page
    assert [cell for cell in _footer_cells(page) if cell in ("0", "0\u00a0%", "–")] == []

    certified = db.scalar(select(func.count()).select_from(Certificate))
    attempts = db.scalar(select(func.count()).select_from(QuizAttempt))
    sessions = db.scalar(select(func.count()).select_from(AssistedSession))
    assert certified > 0 and attempts > 0 and sessions > 0
    passed = db.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.passed))
    assert 0 < passed < attempts  # some attempts failed: the pass rate is not 100 %
