"""Loading units and teams; services flush, callers commit."""

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.tabular import TableRow
from lms.text import visible_text
from lms.units.hierarchy import UnitRow, check_units, unit_path
from lms.units.models import Team, Unit

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEAM_COLUMNS = ("team_code", "name", "commune_code")
TEAM_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}", re.ASCII)
UNIT_COLUMNS = ("code", "name", "level", "parent_code")


class ImportRejected(ValueError):
    """The whole file was refused; errors name each bad row."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} lỗi")
        self.errors = errors


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0


def official_unit_rows() -> list[UnitRow]:
    """The current official list (34 provinces, 3,321 communes) from vietnam-provinces."""
    from vietnam_provinces import Province, Ward

    rows = [
        UnitRow(f"{p.code:02d}", p.name, "province", "", p.division_type.value)
        for p in Province.iter_all()
    ]
    rows += [
        UnitRow(f"{w.code:05d}", w.name, "commune", f"{w.province_code:02d}", w.division_type.value)
        for w in Ward.iter_all()
    ]
    return rows


def unit_rows_from_table(rows: list[TableRow]) -> list[UnitRow]:
    return [
        UnitRow(
            code=row.values.get("code", ""),
            name=visible_text(row.values.get("name", "")),
            level=row.values.get("level", "").lower(),
            parent_code=row.values.get("parent_code", ""),
            kind=row.values.get("kind", ""),
            row=row.number,
        )
        for row in rows
    ]


def import_units(db: Session, rows: list[UnitRow]) -> ImportCounts:
    """Create or update units by code; refuse the whole list if any row is wrong."""
    existing = {unit.code: unit for unit in db.scalars(select(Unit))}
    errors = check_units(rows, {code: unit.level for code, unit in existing.items()})
    if errors:
        raise ImportRejected(errors)
    counts = ImportCounts()
    for row in sorted(rows, key=lambda r: LEVEL_ORDER[r.level]):
        unit = existing.get(row.code)
        if unit is None:
            unit = Unit(code=row.code, path="")
            db.add(unit)
            existing[row.code] = unit
            counts.created += 1
        else:
            counts.updated += 1
        unit.name, unit.level, unit.kind = row.name, row.level, row.kind
        unit.parent = existing.get(row.parent_code) if row.parent_code else None
    _refresh_paths(existing.values())
    db.flush()
    return counts


def _refresh_paths(units) -> None:
    for unit in sorted(units, key=lambda u: LEVEL_ORDER[u.level]):
        unit.path = unit_path(unit.parent.path if unit.parent else None, unit.code)


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))


def import_teams(db: Session, rows: list[TableRow]) -> ImportCounts:
    """Create or update teams by team_code; nothing is written when any row is bad."""
    rows = [
        TableRow(r.number, {**r.values, "name": visible_text(r.values.get("name"))}) for r in rows
    ]
    communes = _communes_by_code(db, {row.values.get("commune_code", "") for row in rows})
    errors = _team_row_errors(rows, communes)
    if errors:
        raise ImportRejected(errors)
    existing = {
        team.code: team
        for team in db.scalars(
            select(Team).where(Team.code.in_([r.values["team_code"] for r in rows]))
        )
    }
    counts = ImportCounts()
    for row in rows:
        team = existing.get(row.values["team_code"])
        if team is None:
            team = Team(code=row.values["team_code"], invite_code=new_invite_code())
            db.add(team)
            counts.created += 1
        else:
            counts.updated += 1
        team.name = row.values["name"]
        team.commune_id = communes[row.values["commune_code"]].id
    db.flush()
    return counts


def _communes_by_code(db: Session, codes: set[str]) -> dict[str, Unit]:
    found = db.scalars(select(Unit).where(Unit.code.in_(codes), Unit.level == "commune"))
    return {unit.code: unit for unit in found}


def _team_row_errors(rows: list[TableRow], communes: dict[str, Unit]) -> list[str]:
    errors, seen = [], {}
    for row in rows:
        values, where = row.values, f"Dòng {row.number}"
        missing = [column for column in TEAM_COLUMNS if not values.get(column)]
        if missing:
            errors.append(f"{where}: thiếu {', '.join(missing)}.")
            continue
        if values["team_code"] in seen:
            errors.append(
                f"{where}: mã tổ '{values['team_code']}' trùng với dòng "
                f"{seen[values['team_code']]}."
            )
        seen.setdefault(values["team_code"], row.number)
        if values["commune_code"] not in communes:
            errors.append(f"{where}: không có xã/phường mã '{values['commune_code']}'.")
        if len(values["name"]) > 200:
            errors.append(f"{where}: tên tổ dài quá 200 ký tự.")
        if not TEAM_CODE.fullmatch(values["team_code"]):
            errors.append(
                f"{where}: mã tổ '{values['team_code']}' chỉ gồm chữ, số, dấu chấm, gạch ngang, "
                "tối đa 40 ký tự."
            )
    return errors
