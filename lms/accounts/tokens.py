"""API tokens: an official's Bearer credential for the JSON API, stored hashed.

A token acts as its owner: it carries the owner's role and unit, hence their scope.
Services add and flush; the caller commits.
"""

import hashlib
import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from lms.accounts.models import OFFICIAL_ROLES, User
from lms.accounts.services import AccountError
from lms.db import Base, utcnow
from lms.text import keep_visible, visible_text

TOKEN_PREFIX = "hs_"
TOKEN_ROLES = (*OFFICIAL_ROLES, "admin")
MAX_NAME_LENGTH = 100


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


keep_visible(ApiToken.name)


def token_digest(token: str) -> str:
    """The stored form of a token (tokens are long and random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for an official or admin; returns the row and the secret shown once."""
    if user.role not in TOKEN_ROLES:
        raise AccountError(_("Chỉ cán bộ và quản trị viên mới tạo được mã API."), field="role")
    name = visible_text(name)
    if not name:
        raise AccountError(_("Cần đặt tên cho mã API."), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(_("Tên mã API dài quá %(n)s ký tự.", n=MAX_NAME_LENGTH), field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=token_digest(secret), hint=secret[:8])
    db.add(token)
    db.flush()
    return token, secret


def user_tokens(db: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.scalars(query))


def revoke_token(db: Session, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such active token."""
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.flush()
    return True


def user_for_token(db: Session, secret: str) -> User | None:
    """The owner of an active token, noting its use; None for an unknown or revoked token."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    query = (
        select(ApiToken)
        .where(ApiToken.token_hash == token_digest(secret))
        .options(joinedload(ApiToken.user).joinedload(User.unit))
    )
    token = db.scalar(query)
    if token is None or token.revoked_at is not None or token.user.role not in TOKEN_ROLES:
        return None
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
    return token.user


def bearer_secret(authorization: str | None) -> str | None:
    """The token in an `Authorization: Bearer ...` header, if any."""
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
