"""Creating people and checking credentials; services flush, callers commit."""

import secrets
import unicodedata
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from lms.accounts.models import OFFICIAL_ROLES, ROLES, User
from lms.accounts.phone import normalize_phone
from lms.db import ById
from lms.text import invisible_characters, visible_text
from lms.units.models import Team, Unit

user_by_id = ById(User)  # every request that knows its person loads them

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
# Passwords people in Vietnam often choose; lists of leaked passwords start with these.
COMMON_PASSWORDS = frozenset(
    [
        "12345678",
        "123456789",
        "1234567890",
        "0123456789",
        "87654321",
        "12341234",
        "11223344",
        "123123123",
        "123456aa",
        "123456abc",
        "a1234567",
        "a123456789",
        "abc12345",
        "abcd1234",
        "1q2w3e4r",
        "qwerty123",
        "qwertyui",
        "password",
        "password1",
        "passw0rd",
        "iloveyou",
        "anhyeuem",
        "emyeuanh",
        "matkhau",
        "matkhau1",
        "matkhau123",
        "matkhau@123",
        "vietnam1",
        "vietnam123",
        "admin123",
        "hocso123",
        "hocso2025",
        "12345678a",
    ]
)
# zxcvbn's score: 3 means about 10^8 guesses or more, beyond an online attack and slow to
# crack offline against scrypt.
MIN_PASSWORD_SCORE = 3
# Words an attacker of this site tries first; zxcvbn weighs them like the person's own.
SITE_WORDS = ("hocso", "hoc so", "matkhau", "mat khau", "binhdanhocvuso", "vietnam", "viet nam")
ROLE_UNIT_LEVEL = {
    "commune_official": "commune",
    "district_official": "district",
    "province_official": "province",
}


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def N_(message: str) -> str:
    """Marks a service's Vietnamese message for the catalog; pages show it translated."""
    return message


def hash_password(password: str) -> str:
    """A salted scrypt hash (werkzeug's "scrypt:32768:8:1$salt$hash")."""
    return generate_password_hash(password, method="scrypt")


def check_password_policy(password: str, *identifiers: str | None) -> None:
    """8 to 128 visible characters, not a well-known password, not the person's phone or
    login, and hard to guess by zxcvbn's estimate (which also knows the person's phone, login
    and name, given as `identifiers`)."""
    password = password or ""
    if invisible_characters(password):
        raise AccountError(_(INVISIBLE_IN_PASSWORD), field="password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH), field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            _("Mật khẩu dài quá %(n)s ký tự.", n=MAX_PASSWORD_LENGTH), field="password"
        )
    if _names_the_person(password, identifiers):
        raise AccountError(
            _("Mật khẩu không được trùng số điện thoại hoặc tên đăng nhập."), field="password"
        )
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2 or _guessable(password, identifiers):
        raise AccountError(_(TOO_GUESSABLE), field="password")


INVISIBLE_IN_PASSWORD = N_(
    "Mật khẩu có ký tự vô hình hoặc ký tự điều khiển (như dấu cách độ rộng 0). "
    "Hãy gõ mật khẩu trực tiếp bằng bàn phím."
)
TOO_GUESSABLE = N_(
    "Mật khẩu này quá dễ đoán (lặp lại, theo dãy, ngày tháng hoặc từ quen thuộc). "
    "Hãy dùng một cụm vài từ mà người khác khó đoán, ví dụ ghép 3–4 từ bằng dấu gạch ngang."
)


def _guessable(password: str, identifiers) -> bool:
    """zxcvbn's estimate, told the person's identifiers whole and word by word, also without
    Vietnamese diacritics ("Nguyễn Văn An" -> "nguyenvanan", "nguyen", "van", "an")."""
    words = [
        spelling
        for identifier in filter(None, identifiers)
        for part in (identifier, "".join(identifier.split()), *identifier.split())
        for spelling in (part, _without_diacritics(part))
    ]
    inputs = [*words, *filter(None, identifiers), *SITE_WORDS, *COMMON_PASSWORDS]
    return zxcvbn(password, user_inputs=inputs)["score"] < MIN_PASSWORD_SCORE


def _without_diacritics(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names_the_person(password: str, identifiers) -> bool:
    phone = normalize_phone(password)
    for identifier in filter(None, identifiers):
        if password.strip().lower() == identifier.strip().lower():
            return True
        if phone is not None and phone == normalize_phone(identifier):
            return True
    return False


def create_user(
    db: Session,
    *,
    full_name: str,
    password: str,
    role: str,
    login: str | None = None,
    phone: str | None = None,
    unit_code: str | None = None,
    team_code: str | None = None,
    hashed: str | None = None,
) -> User:
    """Create a person with a role, placed in a unit (officials) or a team (members);
    `hashed` is the password's hash when the caller has made it already."""
    if role not in ROLES or role == "guest":
        raise AccountError(_("Vai trò '%(role)s' không hợp lệ.", role=role), field="role")
    full_name = visible_text(full_name)
    if not full_name:
        raise AccountError(_("Cần họ và tên."), field="full_name")
    check_password_policy(password, login, phone, full_name)
    password_hash = hashed or hash_password(password)
    user = User(full_name=full_name, role=role, password_hash=password_hash)
    user.login = _free_login(db, login)
    user.phone = _free_phone(db, phone)
    if not (user.login or user.phone):
        raise AccountError(_("Cần tên đăng nhập hoặc số điện thoại."), field="login")
    user.unit = _unit_for_role(db, role, unit_code)
    user.team = _team(db, team_code, required=role == "team_leader")
    db.add(user)
    db.flush()
    return user


def _free_login(db: Session, login: str | None) -> str | None:
    if not login:
        return None
    login = login.strip().lower()
    if db.scalar(select(User.id).where(User.login == login)):
        raise AccountError(
            _("Tên đăng nhập '%(login)s' đã có người dùng.", login=login), field="login"
        )
    return login


def _free_phone(db: Session, phone: str | None) -> str | None:
    if not phone:
        return None
    normal = normalize_phone(phone)
    if normal is None:
        raise AccountError(_("Số điện thoại '%(phone)s' không hợp lệ.", phone=phone), field="phone")
    if db.scalar(select(User.id).where(User.phone == normal)):
        raise AccountError(
            _("Số điện thoại %(phone)s đã được đăng ký.", phone=normal), field="phone"
        )
    return normal


def _unit_for_role(db: Session, role: str, unit_code: str | None) -> Unit | None:
    if not unit_code:
        if role in OFFICIAL_ROLES:
            raise AccountError(_("Cán bộ cần mã đơn vị (--unit)."), field="unit")
        return None
    unit = db.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise AccountError(_("Không có đơn vị mã '%(code)s'.", code=unit_code), field="unit")
    expected = ROLE_UNIT_LEVEL.get(role)
    if expected and unit.level != expected:
        raise AccountError(
            _(
                "Vai trò %(role)s cần đơn vị cấp %(expected)s, '%(code)s' là cấp %(level)s.",
                role=role,
                expected=expected,
                code=unit_code,
                level=unit.level,
            ),
            field="unit",
        )
    return unit


def _team(db: Session, team_code: str | None, required: bool) -> Team | None:
    if not team_code:
        if required:
            raise AccountError(_("Tổ trưởng cần mã tổ (--team)."), field="team")
        return None
    team = db.scalar(select(Team).where(Team.code == team_code))
    if team is None:
        raise AccountError(_("Không có tổ mã '%(code)s'.", code=team_code), field="team")
    return team


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def authenticate(db: Session, login: str, password: str) -> User | None:
    """The user whose login or phone and password match, else None.

    An unknown login costs the same time as a known one: the password is checked against
    a dummy hash of the same kind, so timing does not tell which logins exist."""
    login = (login or "").strip()
    if not login or "\x00" in login:  # no account has it, and PostgreSQL refuses NUL in text
        check_password_hash(_dummy_hash(), password or "")
        return None
    phone = normalize_phone(login)
    conditions = [User.login == login.lower()]
    if phone:
        conditions.append(User.phone == phone)
    user = db.scalar(select(User).where(or_(*conditions), User.role != "guest"))
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password or "")
        return None
    return user if check_password_hash(user.password_hash, password) else None
