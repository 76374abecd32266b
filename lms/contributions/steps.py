"""The assisted-session form: the fixed list of real-world steps and its checks. No SQL.

Consent is required; the citizen's name and phone are optional (the phone is kept in one
normal form); nothing else personal is asked. Messages are lazy translations, in plain words.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from lms.accounts.phone import normalize_phone
from lms.text import visible_text

STEPS = (
    ("vneid_level2", _l("Tài khoản định danh điện tử VNeID mức 2")),
    ("public_service", _l("Nộp hồ sơ dịch vụ công trực tuyến lần đầu")),
    ("qr_payment", _l("Thanh toán bằng mã QR lần đầu")),
    ("online_purchase", _l("Mua hàng trực tuyến lần đầu")),
    ("scam_protection", _l("Cài đặt chống lừa đảo")),
)
STEP_KEYS = tuple(key for key, _label in STEPS)
MAX_NAME = 200
OLDEST_DAYS = 366


@dataclass
class SessionForm:
    held_on: date
    citizen_name: str | None
    citizen_phone: str | None
    steps: tuple[str, ...]
    errors: dict[str, str] = field(default_factory=dict)


def _name(raw: str) -> str | None:
    return visible_text(raw) or None


def _held_on(raw: str, today: date, errors: dict) -> date:
    text = (raw or "").strip()
    if not text:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors["held_on"] = _l("Ngày hỗ trợ phải là một ngày, ví dụ 2026-12-01.")
        return today
    if day > today:
        errors["held_on"] = _l("Ngày hỗ trợ không được sau hôm nay.")
    elif day < today - timedelta(days=OLDEST_DAYS):
        errors["held_on"] = _l("Ngày hỗ trợ không được cũ quá một năm.")
    return day


def check_session(
    consent: bool, name: str, phone: str, held_on: str, steps: list[str], today: date
) -> SessionForm:
    """The form's values checked; errors by field name, in the request's language."""
    errors: dict[str, str] = {}
    if not consent:
        errors["consent"] = _l("Cần người dân đồng ý trước khi ghi lại buổi hỗ trợ.")
    citizen_name = _name(name)
    if citizen_name and len(citizen_name) > MAX_NAME:
        errors["citizen_name"] = _l("Họ tên người dân dài quá %(n)s ký tự.", n=MAX_NAME)
    citizen_phone = None
    if (phone or "").strip():
        citizen_phone = normalize_phone(phone)
        if citizen_phone is None:
            errors["citizen_phone"] = _l(
                "Số điện thoại “%(phone)s” không phải số di động Việt Nam hợp lệ.",
                phone=phone.strip()[:20],
            )
    unknown = [step for step in steps if step not in STEP_KEYS]
    if unknown:
        errors["steps"] = _l(
            "Có việc không nằm trong danh sách: %(steps)s.", steps=", ".join(unknown)[:80]
        )
    chosen = tuple(key for key in STEP_KEYS if key in steps)
    day = _held_on(held_on, today, errors)
    return SessionForm(day, citizen_name, citizen_phone, chosen, errors)
