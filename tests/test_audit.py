from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.audit.services import record
from tests.factories import make_user


def test_record_keeps_who_did_what_to_what(db):
    admin = make_user(db, role="admin")
    record(db, admin, "certificates.revoke", "TV-2026-000001", reason="Cấp nhầm")
    event = db.scalar(select(AuditEvent))
    assert (event.actor_id, event.action, event.target) == (
        admin.id,
        "certificates.revoke",
        "TV-2026-000001",
    )
    assert event.details == {"reason": "Cấp nhầm"}
    assert event.at is not None
