"""Share links that attribute new learners to a team.

A team's link is /t/<code> with code "t<team id>-<check>", a member's personal link
"m<user id>-<check>" (it counts for the member's team at the time it is followed); the
check is an HMAC keyed by SECRET_KEY, so a code cannot be made up. `?ref=<code>` on any
page works too. Following a link while nobody is known on this browser (no account signed
in, no guest cookie) stores the team in a signed cookie until the first progress; the
learner row created then (a guest, or an account registered without one) is attributed to
that team, once: an existing learner is never re-attributed. The team counts them as a
citizen reached from their first real activity (lms/contributions/reach.py).
"""

import hashlib
import hmac
import re

from flask import current_app, g, has_request_context, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts.identity import GUEST_COOKIE
from lms.accounts.models import User
from lms.cookies import value_of, write_queued_cookie
from lms.signing import serializer
from lms.units.models import Team

REF_COOKIE = "hs_ref"
REF_COOKIE_MAX_AGE = 30 * 24 * 3600
CODE = re.compile(r"^([tm])(\d{1,12})-([0-9a-f]{10})$")


def _check(kind: str, ident: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"lms.share:{kind}{ident}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:10]


def team_code(team: Team) -> str:
    return f"t{team.id}-{_check('t', team.id)}"


def member_code(user: User) -> str:
    return f"m{user.id}-{_check('m', user.id)}"


def team_for_code(db: Session, code: str | None) -> Team | None:
    """The team a share code counts for, or None for an unknown or altered code."""
    found = CODE.match((code or "").strip().lower())
    if found is None:
        return None
    kind, ident = found.group(1), int(found.group(2))
    if not hmac.compare_digest(found.group(3), _check(kind, ident)):
        return None
    if kind == "t":
        return db.get(Team, ident)
    member = db.get(User, ident)
    return member.team if member is not None and member.team_id else None


def _serializer() -> URLSafeSerializer:
    return serializer("lms.ref")


def _learner_known() -> bool:
    return bool(current_user.is_authenticated or value_of(request.cookies, GUEST_COOKIE))


def remember(team: Team) -> None:
    """Keep the team in the referral cookie, unless a learner is already known here."""
    if not _learner_known():
        g.lms_ref_cookie = _serializer().dumps(team.id)


def _remember_from_query() -> None:
    g.pop("lms_ref_cookie", None)
    code = value_of(request.args, "ref")
    if code and request.method == "GET" and not _learner_known():
        from lms.db import session

        team = team_for_code(session(), code)
        if team is not None:
            remember(team)


def pending_team_id(db: Session) -> int | None:
    """The team in this request's referral cookie, if it still exists."""
    if not has_request_context():
        return None
    raw = value_of(request.cookies, REF_COOKIE)
    if not raw:
        return None
    try:
        team_id = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(team_id, int) or db.scalar(select(Team.id).where(Team.id == team_id)) is None:
        return None
    return team_id


def attribute_new_learner(db: Session, user: User) -> None:
    """Attribute a learner row created in this request to the referring team, once. It
    counts as reached only after real activity (lms/contributions/reach.py)."""
    if user.referred_by_team_id is not None:
        return
    team_id = pending_team_id(db)
    if team_id is None:
        return
    user.referred_by_team_id = team_id
    db.flush()
    g.lms_ref_cookie = ""


def forget_referral() -> None:
    """Drop the referral cookie with this response (it has been used, or cannot be)."""
    if value_of(request.cookies, REF_COOKIE) or g.get("lms_ref_cookie"):
        g.lms_ref_cookie = ""


def _write_ref_cookie(response):
    return write_queued_cookie(response, "lms_ref_cookie", REF_COOKIE, REF_COOKIE_MAX_AGE)


def init_app(app) -> None:
    app.before_request(_remember_from_query)
    app.after_request(_write_ref_cookie)
