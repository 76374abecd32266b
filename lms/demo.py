"""`flask lms demo`: teams, members with varied progress, quiz results, certificates,
assisted sessions, citizens reached, targets and officials on top of real units."""

import random

import click
from flask.cli import with_appcontext
from sqlalchemy import insert, select

from lms import demo_activity
from lms.accounts.models import User
from lms.accounts.services import hash_password
from lms.courses.models import Course, CourseCompletion, LessonProgress, ModuleCompletion
from lms.db import session, utcnow
from lms.reports.rollups import rebuild_rollups
from lms.units.models import Team, Unit
from lms.units.services import new_invite_code

DEMO_PROVINCES = ("46", "48", "92")  # Huế, Đà Nẵng, Cần Thơ in the current official list
TEAMS_PER_PROVINCE = 100
DEMO_PASSWORD = "hocso-demo-2025"
TEAM_NAMES = ("Thôn", "Tổ dân phố", "Bản")


@click.command("demo")
@with_appcontext
def demo_command():
    """Add demo teams, members, progress and officials (idempotent)."""
    db = session()
    if db.scalar(select(Team.id).where(Team.code.like("DEMO-%")).limit(1)):
        click.echo("Dữ liệu mẫu đã có; không thêm gì.")
    else:
        provinces = _demo_provinces(db)
        teams = _add_teams(db, provinces)
        rng = random.Random(2025)
        course = _member_course(db)
        _add_members_with_progress(db, teams, rng)
        admin = _add_logins(db, provinces[0], teams[0])
        demo_activity.add_quiz_attempts(db, course, rng)
        demo_activity.add_sessions_and_citizens(db, teams, rng)
        rebuild_rollups(db)
        certificates = demo_activity.issue_certificates(db, course, teams)
        demo_activity.add_targets(db, course, [teams[0].commune, provinces[0]], admin)
        db.commit()
        click.echo(f"Đã thêm {len(teams)} tổ ở {len(provinces)} tỉnh/thành phố.")
        click.echo(f"Đã cấp {certificates} chứng nhận mẫu.")
    _print_logins()


def _demo_provinces(db) -> list[Unit]:
    provinces = db.scalars(select(Unit).where(Unit.code.in_(DEMO_PROVINCES))).all()
    if not provinces:
        provinces = db.scalars(select(Unit).where(Unit.level == "province").limit(3)).all()
    if not provinces:
        raise click.ClickException("Chưa có đơn vị hành chính: chạy `flask lms units import`.")
    return sorted(provinces, key=lambda unit: unit.code)


def _add_teams(db, provinces: list[Unit]) -> list[Team]:
    teams = []
    for province in provinces:
        communes = db.scalars(
            select(Unit)
            .where(Unit.level == "commune", Unit.path.like(f"{province.path}%"))
            .order_by(Unit.code)
            .limit(TEAMS_PER_PROVINCE // 4)
        ).all()
        for commune in communes:
            for number in range(1, 5):
                kind = TEAM_NAMES[(number + len(teams)) % len(TEAM_NAMES)]
                teams.append(
                    Team(
                        code=f"DEMO-{commune.code}-{number}",
                        name=f"{kind} {number}",
                        commune_id=commune.id,
                        invite_code=new_invite_code(),
                    )
                )
    db.add_all(teams)
    db.flush()
    return teams


def _member_course(db) -> Course | None:
    return db.scalar(select(Course).where(Course.track == "member", Course.retired.is_(False)))


def _add_members_with_progress(db, teams: list[Team], rng: random.Random) -> None:
    course = _member_course(db)
    modules = [m for m in course.modules if not m.retired] if course else []
    users = [
        {
            "full_name": f"Thành viên {team.code[-7:]}-{i}",
            "role": "member",
            "team_id": team.id,
            "login": f"{team.code.lower()}-{i}",
            "created_at": utcnow(),
        }
        for team in teams
        for i in range(1, rng.randint(4, 9) + 1)
    ]
    db.execute(insert(User), users)
    if not modules:
        return
    member_ids = db.scalars(select(User.id).where(User.login.like("demo-%"))).all()
    lesson_rows, module_rows, course_rows = [], [], []
    for user_id in member_ids:
        reached = rng.choice((0, 0, 1, 2, 4, len(modules) // 2, len(modules), len(modules)))
        for module in modules[:reached]:
            lesson_rows += [
                {"user_id": user_id, "lesson_id": lesson.id, "completed_at": utcnow()}
                for lesson in module.lessons
                if not lesson.retired
            ]
            module_rows.append(
                {"user_id": user_id, "module_id": module.id, "completed_at": utcnow()}
            )
        if reached == len(modules):
            course_rows.append(
                {"user_id": user_id, "course_id": course.id, "completed_at": utcnow()}
            )
    for model, rows in (
        (LessonProgress, lesson_rows),
        (ModuleCompletion, module_rows),
        (CourseCompletion, course_rows),
    ):
        if rows:
            db.execute(insert(model), rows)


DEMO_LOGINS = (
    ("admin", "Quản trị viên", "admin"),
    ("tinh", "Cán bộ tỉnh", "province_official"),
    ("xa", "Cán bộ xã", "commune_official"),
    ("totruong", "Tổ trưởng mẫu", "team_leader"),
    ("thanhvien", "Thành viên mẫu", "member"),
    ("nguoidan", "Người dân mẫu", "citizen"),
)


def _add_logins(db, province: Unit, team: Team) -> User:
    """The demo logins; returns the admin."""
    password_hash = hash_password(DEMO_PASSWORD)
    places = {
        "province_official": (province, None),
        "commune_official": (team.commune, None),
        "team_leader": (None, team),
        "member": (None, team),
    }
    people = []
    for login, name, role in DEMO_LOGINS:
        unit, user_team = places.get(role, (None, None))
        people.append(
            User(
                login=login,
                full_name=name,
                role=role,
                password_hash=password_hash,
                unit=unit,
                team=user_team,
            )
        )
    db.add_all(people)
    db.flush()
    return people[0]


def _print_logins() -> None:
    click.echo(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):")
    for login, name, role in DEMO_LOGINS:
        click.echo(f"  {login:10} {role:18} {name}")
    click.echo("  (Từ 1/7/2025 không còn cấp huyện, nên không có cán bộ huyện mẫu.)")
