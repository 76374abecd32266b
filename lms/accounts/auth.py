"""Signing in and out (flask-login), and joining a team with its invite code."""

import flask
from flask_babel import gettext as _
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts import identity
from lms.accounts.models import User
from lms.accounts.services import AccountError, user_by_id
from lms.accounts.tokens import bearer_secret, user_for_token
from lms.courses.models import Course, CourseCompletion
from lms.courses.services import started_course_ids
from lms.db import session
from lms.reports import rollups
from lms.units.models import Team

login_manager = LoginManager()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user named by "id:session_version"; a bumped version signs every session out."""
    ident, _, version = (user_id or "").partition(":")
    if not (ident.isdigit() and version.isdigit()):
        return None
    user = user_by_id(session(), int(ident))
    if user is None or user.is_guest or user.session_version != int(version):
        return None
    return user


@login_manager.request_loader
def load_user_from_bearer(request) -> User | None:
    """Under /api/, `Authorization: Bearer <token>` stands for the token's owner."""
    secret = bearer_secret(request.headers.get("Authorization"))
    if secret is None or not request.path.startswith("/api/"):
        return None
    return user_for_token(session(), secret)


def sign_in(db: Session, user: User, remember: bool = False) -> None:
    """Sign in on a fresh session, first merging the browser's guest progress into the user."""
    guest = identity.current_guest()
    if guest is not None and guest.id != user.id:
        identity.merge_guest_into(db, guest, user)
    identity.forget_guest()
    flask.session.clear()
    login_user(user, remember=remember)


def sign_out_everywhere(db: Session, user: User, keep_this_session: bool = True) -> None:
    """End every session and remembered sign-in of the user by moving its session version;
    with keep_this_session, this browser signs in again on a fresh session."""
    user.session_version = (user.session_version or 1) + 1
    db.flush()
    flask.session.clear()
    if keep_this_session:
        login_user(user)


def sign_out() -> None:
    """Sign out and start a fresh session."""
    logout_user()
    flask.session.clear()


def normalize_invite_code(raw: str | None) -> str:
    return "".join((raw or "").split()).upper()


def join_team(db: Session, user: User, invite_code: str | None) -> Team:
    """Put the user in the team with this invite code; a citizen becomes a member."""
    if user.is_guest:
        raise AccountError(_("Cần có tài khoản trước khi vào tổ."), field="invite_code")
    code = normalize_invite_code(invite_code)
    team = db.scalar(select(Team).where(Team.invite_code == code)) if code else None
    if team is None:
        raise AccountError(_("Mã mời không đúng. Hãy hỏi lại tổ trưởng."), field="invite_code")
    if user.team_id == team.id:
        return team
    if user.team_id is not None:
        raise AccountError(_("Bạn đã ở trong một tổ khác."), field="invite_code")
    user.team = team
    if user.role == "citizen":
        user.role = "member"
    db.flush()
    if user.role in rollups.MEMBER_ROLES:
        _count_into_team(db, user, team.id)
    return team


def _count_into_team(db: Session, user: User, team_id: int) -> None:
    """Add the new member, and the progress they bring, to the team's roll-ups."""
    started = started_course_ids(db, user.id)
    completed = dict(
        db.execute(
            select(CourseCompletion.course_id, CourseCompletion.completed_at).where(
                CourseCompletion.user_id == user.id
            )
        ).all()
    )
    for course_id in db.scalars(select(Course.id)):
        rollups.bump(
            db,
            team_id,
            course_id,
            completed_at=completed.get(course_id),
            members=1,
            started=int(course_id in started),
            completed=int(course_id in completed),
        )


def init_app(app) -> None:
    login_manager.init_app(app)
    identity.init_app(app)
