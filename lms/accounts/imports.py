"""Importing team members from CSV or XLSX: the whole file is checked before anything is written.

Columns: full_name, phone, team_code, role (member or team_leader; empty means member).
A re-import updates people by their (normalised) phone number. An official imports only
into teams within their scope, and changes only people who are already members of a team in
that scope: any other account (a self-registered citizen, an official, an admin, a member of
a team outside the scope) is never renamed, moved or exposed. Its row gets the same neutral
message whoever it is, so a file cannot tell what kind of account a phone belongs to; the
person joins with the team's invite code instead. Services flush; the caller commits.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.accounts.phone import normalize_phone
from lms.accounts.services import N_
from lms.audit import services as audit
from lms.reports.rollups import rebuild_rollups
from lms.reports.scope import Scope, teams_in_scope
from lms.tabular import TableRow
from lms.text import visible_text
from lms.units.models import Team

COLUMNS = ("full_name", "phone", "team_code", "role")
IMPORT_ROLES = ("member", "team_leader")
MAX_NAME = 200
# The one answer for a phone that belongs to someone the importer may not change.
NOT_FROM_FILE = N_("số này không thể thêm từ tệp; người đó tự tham gia tổ bằng mã mời.")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _(
            "Dòng %(row)s, cột %(column)s: %(message)s",
            row=self.row,
            column=self.column,
            message=self.message,
        )


class MembersRejected(ValueError):
    """The file was refused whole; errors name each row and column."""

    def __init__(self, errors: list[RowError], invite_teams: list[Team] = ()):
        super().__init__(_("%(n)s lỗi; không nhập dòng nào.", n=len(errors)))
        self.errors = errors
        self.invite_teams = list(invite_teams)  # teams whose invite code those people need


@dataclass
class MemberRow:
    row: int
    full_name: str
    phone: str
    team: Team
    role: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    team_codes: list[str] = field(default_factory=list)


def _phone(raw: str) -> str | None:
    """A Vietnamese mobile number; spreadsheets often drop the leading zero."""
    if raw.isdigit() and len(raw) == 9:
        raw = "0" + raw
    return normalize_phone(raw)


def check_rows(db: Session, scope: Scope, rows: list[TableRow]) -> list[MemberRow]:
    """Every row checked; raises MembersRejected listing all problems, or returns clean rows."""
    teams = teams_in_scope(db, scope, {r.values.get("team_code", "") for r in rows} - {""})
    phones = {_phone(r.values.get("phone", "")) for r in rows} - {None}
    existing = _people_by_phone(db, phones)
    changeable = _changeable_people(db, scope, existing)
    errors: list[RowError] = []
    clean: list[MemberRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        found = _check_row(row, teams, existing, changeable, seen)
        if isinstance(found, MemberRow):
            clean.append(found)
        else:
            errors.extend(found)
    if errors:
        raise MembersRejected(errors, _invite_teams(rows, errors, teams))
    return clean


def _changeable_people(db: Session, scope: Scope, existing: dict[str, User]) -> set[str]:
    """Phones of people an import may change: members and leaders of a team in scope."""
    members = {
        phone: person
        for phone, person in existing.items()
        if person.role in IMPORT_ROLES and person.team is not None
    }
    in_scope = teams_in_scope(db, scope, {person.team.code for person in members.values()})
    return {phone for phone, person in members.items() if person.team.code in in_scope}


def _invite_teams(rows: list[TableRow], errors: list[RowError], teams: dict) -> list[Team]:
    """The in-scope teams named on the rows refused with NOT_FROM_FILE."""
    refused = {e.row for e in errors if e.message == _(NOT_FROM_FILE)}
    codes = {r.values.get("team_code", "") for r in rows if r.number in refused}
    return [teams[code] for code in sorted(codes) if code in teams]


def _check_row(row, teams, existing, changeable, seen) -> MemberRow | list[RowError]:
    values, errors = row.values, []

    def problem(column: str, message: str) -> None:
        errors.append(RowError(row.number, column, message))

    name = visible_text(values.get("full_name", ""))
    if not name:
        problem("full_name", _("thiếu họ và tên."))
    elif len(name) > MAX_NAME:
        problem("full_name", _("họ và tên dài quá %(n)s ký tự.", n=MAX_NAME))
    raw_phone = values.get("phone", "")
    phone = _phone(raw_phone)
    if not raw_phone:
        problem("phone", _("thiếu số điện thoại."))
    elif phone is None:
        problem("phone", _("'%(phone)s' không phải số di động Việt Nam hợp lệ.", phone=raw_phone))
    elif phone in seen:
        problem("phone", _("số %(phone)s trùng với dòng %(row)s.", phone=phone, row=seen[phone]))
    else:
        seen[phone] = row.number
        if phone in existing and phone not in changeable:
            problem("phone", _(NOT_FROM_FILE))
    team_code = values.get("team_code", "")
    if not team_code:
        problem("team_code", _("thiếu mã tổ."))
    elif team_code not in teams:
        problem(
            "team_code", _("không có tổ mã '%(code)s' trong phạm vi bạn quản lý.", code=team_code)
        )
    role = (values.get("role", "") or "member").strip().lower()
    if role not in IMPORT_ROLES:
        problem(
            "role",
            _("vai trò '%(role)s' phải là member hoặc team_leader.", role=values.get("role")),
        )
    if errors:
        return errors
    return MemberRow(row.number, name, phone, teams[team_code], role)


def _people_by_phone(db: Session, phones: set) -> dict[str, User]:
    if not phones:
        return {}
    return {u.phone: u for u in db.scalars(select(User).where(User.phone.in_(sorted(phones))))}


def import_members(db: Session, scope: Scope, rows: list[TableRow]) -> ImportResult:
    """Create or update members by phone; nothing is written when any row is bad."""
    clean = check_rows(db, scope, rows)
    existing = _people_by_phone(db, {r.phone for r in clean})
    result, touched = ImportResult(), set()
    for row in clean:
        person = existing.get(row.phone)
        if person is None:
            person = User(phone=row.phone, full_name=row.full_name)
            db.add(person)
            result.created += 1
        else:
            if person.team_id is not None:
                touched.add(person.team_id)
            result.updated += 1
        person.full_name, person.role, person.team = row.full_name, row.role, row.team
        touched.add(row.team.id)
    db.flush()
    rebuild_rollups(db, touched)
    result.team_codes = sorted(t.code for t in db.scalars(select(Team).where(Team.id.in_(touched))))
    return result


def record_import(db: Session, actor: User | None, result: ImportResult, via: str, **details):
    """Write the import to the audit log: the teams it touched and how many people."""
    audit.record(
        db,
        actor,
        "members.import",
        ",".join(result.team_codes)[:120],
        created=result.created,
        updated=result.updated,
        via=via,
        **details,
    )
