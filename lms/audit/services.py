"""Recording audited actions in the caller's transaction."""

from sqlalchemy.orm import Session

from lms.audit.models import AuditEvent


def record(db: Session, actor, action: str, target: str = "", **details) -> AuditEvent:
    """Add an audit event (e.g. action="certificates.revoke", target="TV-2026-000001")."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None), action=action, target=target, details=details
    )
    db.add(event)
    db.flush()
    return event
