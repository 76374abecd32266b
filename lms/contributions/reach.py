"""When a referred learner counts as a citizen reached, and how many new guests one address
may start.

A share link attributes the learner row created after it (lms/contributions/referrals.py),
but a script creates such rows for free. So a referred learner counts as reached only from
their first activity a script cannot fake cheaply: a lesson marked read at least
READING_PROOF_SECONDS after its page was served (proved by a signed, timestamped, single-use
token in the lesson's form), or a passed quiz. "Learned" counts the reached who read a lesson.
New guests are limited per address (GUEST_CREATION_LIMIT), so waiting out the reading time
with many guests at once is slow too.
"""

import secrets

from flask import current_app, g, has_request_context
from itsdangerous import BadSignature, SignatureExpired
from limits import parse
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.contributions import tally
from lms.db import utcnow
from lms.limits import client_address, limiter
from lms.reports.periods import vietnam_day
from lms.signing import serializer

READING_PROOF_SECONDS = 20
READING_PROOF_MAX_AGE = 12 * 3600  # a page left open half a day still counts
GUEST_CREATION_LIMIT = "200 per 10 minutes"
PROOF_SLOT = "\x00read-{}\x00"  # where a kept first-visit page gets this request's proof
_SPENT = parse("1 per day")  # a proof counts once: its nonce is spent in the limiter storage


def _serializer():
    return serializer("lms.reading", timed=True)


def reading_proof(lesson_id: int) -> str:
    """A proof, for the lesson page's form, that the page was served now to this reader."""
    if g.get("lms_page_kept"):  # rendered once for many first visitors: filled per request
        return PROOF_SLOT.format(lesson_id)
    return _serializer().dumps([lesson_id, secrets.token_urlsafe(9)])


def proves_reading(token, lesson_id: int) -> bool:
    """The token was served with this lesson's page long enough ago, and not used before."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return False
    try:
        (proved_id, nonce), signed_at = _serializer().loads(
            token, max_age=READING_PROOF_MAX_AGE, return_timestamp=True
        )
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return False
    if proved_id != lesson_id or not isinstance(nonce, str):
        return False
    waited = (utcnow() - signed_at.replace(tzinfo=None)).total_seconds()
    if waited < current_app.config.get("READING_PROOF_SECONDS", READING_PROOF_SECONDS):
        return False
    return limiter.limiter.hit(_SPENT, "reading-proof", nonce)


def count_reached(db: Session, learner: User) -> None:
    """A referred learner's first real activity: from now on they count as reached (and as
    learned when they have read a lesson). Counted once."""
    if learner.referred_by_team_id is None or learner.reached_at is not None:
        return
    learner.reached_at = utcnow()
    db.flush()
    learned = int(tally.has_lessons(db, learner.id))
    tally.bump(
        db, learner.referred_by_team_id, vietnam_day(learner.reached_at), reached=1, learned=learned
    )


def guest_allowed() -> bool:
    """Whether this address may start one more guest now (GUEST_CREATION_LIMIT); each call
    that answers True counts one guest."""
    if not has_request_context():
        return True
    limit = parse(current_app.config.get("GUEST_CREATION_LIMIT", GUEST_CREATION_LIMIT))
    return limiter.limiter.hit(limit, "new-guest", client_address())
