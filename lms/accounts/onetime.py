"""One-time sign-in codes for imported members: random, short, stored hashed, single use.

A code is drawn from an alphabet without look-alike characters (no 0/O, 1/I/L), kept only
as an HMAC keyed by the application's secret, expires after some days, and is spent on
first use. Too many wrong tries spend every open code of that person.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.accounts.models import User
from lms.accounts.phone import normalize_phone
from lms.db import Base, utcnow

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
VALID_DAYS = 14
MAX_FAILURES = 5


class OneTimeCode(Base):
    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)


def new_code() -> str:
    """A fresh random code, e.g. 'K7QM-3XRP' without the dash."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """The code as printed: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def clean_code(typed: str) -> str:
    """What a person typed, without spaces or dashes, upper case."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def code_digest(key: str, user_id: int, code: str) -> str:
    return hmac.new(key.encode(), f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def issue_code(db: Session, key: str, user: User, days: int = VALID_DAYS) -> str:
    """Spend the user's open codes and issue a new one; returns the plain code (shown once)."""
    _spend_open_codes(db, user.id)
    code = new_code()
    db.add(
        OneTimeCode(
            user_id=user.id,
            code_hash=code_digest(key, user.id, code),
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    db.flush()
    return code


def _spend_open_codes(db: Session, user_id: int) -> None:
    db.execute(
        update(OneTimeCode)
        .where(OneTimeCode.user_id == user_id, OneTimeCode.used_at.is_(None))
        .values(used_at=utcnow())
    )


def redeem_code(db: Session, key: str, phone: str, typed: str) -> User | None:
    """The user whose phone and open code match (spending the code), else None."""
    normal = normalize_phone(phone or "")
    code = clean_code(typed)
    if normal is None or not code:
        return None
    user = db.scalar(select(User).where(User.phone == normal, User.role != "guest"))
    if user is None:
        return None
    now = utcnow()
    open_code = db.scalar(
        select(OneTimeCode)
        .where(
            OneTimeCode.user_id == user.id,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.expires_at > now,
        )
        .order_by(OneTimeCode.id.desc())
    )
    if open_code is None:
        return None
    if not hmac.compare_digest(open_code.code_hash, code_digest(key, user.id, code)):
        open_code.failures += 1
        if open_code.failures >= MAX_FAILURES:
            open_code.used_at = now
        db.flush()
        return None
    open_code.used_at = now
    db.flush()
    return user
