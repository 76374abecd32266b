"""Signing in and out (flask-login), and joining a team with its invite code.

Every signed-in browser is a row of user_sessions: the session cookie carries a random key
(not the user's id, which SQLite may give again to the next new account), and signing out
deletes the row, so a cookie copied before stops working."""

import hashlib
import secrets

import flask
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from lms.accounts import identity
from lms.accounts.models import User, UserSession
from lms.accounts.services import AccountError
from lms.accounts.tokens import ApiToken, bearer_secret, user_for_token
from lms.courses.models import Course, CourseCompletion
from lms.courses.services import started_course_ids
from lms.db import session, utcnow
from lms.reports import rollups
from lms.units.models import Team

login_manager = LoginManager()
SESSION_KEY_PREFIX = "s."  # a key of user_sessions, never a bare number (an old cookie)
PERSONAL_PAGE_HEADER = "X-Personal-Page"  # read by the service worker (lms/templates/sw.js)


_SESSION_USER = (
    select(User)
    .join(UserSession, UserSession.user_id == User.id)
    .where(UserSession.key_digest == bindparam("digest"), User.role != "guest")
)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    """The user of a signed-in session still on record; signing out deletes the record.

    A request that carries a Bearer token under /api/ is the token's alone: its session
    cookie is ignored, so the token decides both who acts and whether CSRF is skipped."""
    if bearer_secret(flask.request.headers.get("Authorization")) and _under_api():
        return None
    if not isinstance(session_key, str) or not session_key.startswith(SESSION_KEY_PREFIX):
        return None
    user = session().scalar(_SESSION_USER, {"digest": _digest(session_key)})
    if user is not None:
        user.session_key = session_key
    return user


def _under_api() -> bool:
    return flask.request.path.startswith("/api/")


@login_manager.request_loader
def load_user_from_bearer(request) -> User | None:
    """Under /api/, `Authorization: Bearer <token>` stands for the token's owner."""
    return token_user()


def token_user() -> User | None:
    """The owner of this request's valid Bearer token under /api/, else None (looked up once
    per request; the application context, and g with it, may outlive one request)."""
    current = flask.request._get_current_object()
    kept = flask.g.get("lms_token_user")
    if kept is None or kept[0] is not current:
        secret = bearer_secret(current.headers.get("Authorization"))
        kept = flask.g.lms_token_user = (
            current,
            user_for_token(session(), secret) if secret and _under_api() else None,
        )
    return kept[1]


def open_session(db: Session, user: User) -> str:
    """Record a new signed-in session of the user; returns the key its cookie carries."""
    key = SESSION_KEY_PREFIX + secrets.token_urlsafe(32)
    db.add(UserSession(key_digest=_digest(key), user_id=user.id))
    db.flush()
    user.session_key = key
    return key


def _end_this_session(db: Session) -> None:
    key = flask.session.get("_user_id")
    if isinstance(key, str) and key.startswith(SESSION_KEY_PREFIX):
        db.execute(delete(UserSession).where(UserSession.key_digest == _digest(key)))


def sign_in(db: Session, user: User, remember: bool = False) -> None:
    """Sign in on a fresh session, first merging the browser's guest progress into the user."""
    guest = identity.current_guest()
    if guest is not None and guest.id != user.id:
        identity.merge_guest_into(db, guest, user)
    identity.forget_guest()
    _end_this_session(db)
    flask.session.clear()
    open_session(db, user)
    login_user(user, remember=remember)


def sign_out_everywhere(db: Session, user: User, keep_this_session: bool = True) -> int:
    """End every session of the user and revoke their API tokens (a token may have been
    copied from the same place); with keep_this_session, this browser signs in again on a
    fresh session. Returns the number of tokens revoked."""
    db.execute(delete(UserSession).where(UserSession.user_id == user.id))
    revoked = db.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount
    db.flush()
    flask.session.clear()
    if keep_this_session:
        open_session(db, user)
        login_user(user)
    return revoked


def sign_out(db: Session) -> None:
    """End this session on the server, sign out and start a fresh session; the response
    asks the browser to drop what it cached of the pages (`Clear-Site-Data`)."""
    _end_this_session(db)
    logout_user()
    flask.session.clear()
    flask.g.lms_signed_out = True


def _mark_personal_pages(response):
    """Mark a page rendered for someone (signed in, or a guest with progress) so that the
    service worker keeps no copy of it; after sign-out, drop the browser's cached pages."""
    if flask.g.pop("lms_signed_out", False):
        response.headers["Clear-Site-Data"] = '"cache"'
    elif response.mimetype == "text/html" and _someone_known():
        response.headers[PERSONAL_PAGE_HEADER] = "1"
    return response


def _someone_known() -> bool:
    return bool(
        flask.request.cookies.get(identity.GUEST_COOKIE)
        or flask.g.get("lms_guest_cookie")
        or current_user.is_authenticated
    )


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
    app.after_request(_mark_personal_pages)
