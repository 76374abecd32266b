"""The admin's view of the audit log: recent events, newest first, filtered by action."""

from datetime import timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.db import session

bp = Blueprint("audit", __name__, url_prefix="/admin", template_folder="templates")
PAGE_SIZE = 100
VIETNAM = timedelta(hours=7)


def _admin_only() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if current_user.role != "admin":
        abort(403)


def _before() -> int | None:
    raw = request.args.get("before", "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def recent_events(db, action: str = "", before: int | None = None) -> list:
    """Up to a page of events, newest first, with the actor's login (or None)."""
    query = (
        select(AuditEvent, User.login)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc())
        .limit(PAGE_SIZE)
    )
    if action:
        query = query.where(AuditEvent.action == action)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return list(db.execute(query))


@bp.get("/audit")
def audit_log():
    _admin_only()
    db = session()
    action = request.args.get("action", "").strip()[:60]
    events = recent_events(db, action, _before())
    actions = db.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    older = events[-1][0].id if len(events) == PAGE_SIZE else None
    page = render_template(
        "audit/events.html",
        events=events,
        actions=list(actions),
        action=action,
        older=older,
        offset=VIETNAM,
    )
    return page, 200, {"Cache-Control": "no-store"}
