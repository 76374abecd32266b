"""Pure rules for the administrative tree: which parent each level takes, and paths."""

import re
from dataclasses import dataclass

PARENT_LEVELS = {"province": (), "district": ("province",), "commune": ("province", "district")}
LEVEL_NAMES = {"province": "tỉnh/thành phố", "district": "huyện", "commune": "xã/phường"}
# letters, digits, dot, dash, underscore: a code goes into paths ("/01/00004/") and URLs
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}", re.ASCII)
MAX_NAME, MAX_KIND = 200, 40


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: str = ""
    kind: str = ""
    row: int = 0


def check_units(rows: list[UnitRow], known_levels: dict[str, str]) -> list[str]:
    """Return every problem with the rows; known_levels maps codes already stored to levels."""
    errors = []
    levels = dict(known_levels)
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            errors.append(f"Dòng {row.row}: mã '{row.code}' bị trùng trong tệp.")
        seen.add(row.code)
        levels[row.code] = row.level
    for row in rows:
        errors.extend(_row_problems(row, levels) or _value_problems(row, known_levels))
    return errors


def _value_problems(row: UnitRow, known_levels: dict[str, str]) -> list[str]:
    where, problems = f"Dòng {row.row}", []
    if not CODE.fullmatch(row.code):
        problems.append(
            f"{where}: mã '{row.code}' chỉ gồm chữ, số, dấu chấm, gạch ngang, tối đa 20 ký tự."
        )
    if len(row.name) > MAX_NAME:
        problems.append(f"{where}: tên dài quá {MAX_NAME} ký tự.")
    if len(row.kind) > MAX_KIND:
        problems.append(f"{where}: loại (kind) dài quá {MAX_KIND} ký tự.")
    known = known_levels.get(row.code)
    if known is not None and known != row.level:
        problems.append(f"{where}: đơn vị '{row.code}' đã có cấp {known}, không đổi cấp được.")
    return problems


def _row_problems(row: UnitRow, levels: dict[str, str]) -> list[str]:
    where = f"Dòng {row.row}"
    if not row.code or not row.name:
        return [f"{where}: thiếu mã (code) hoặc tên (name)."]
    if row.level not in PARENT_LEVELS:
        return [f"{where}: cấp (level) '{row.level}' phải là province, district hoặc commune."]
    allowed = PARENT_LEVELS[row.level]
    if not allowed:
        return [f"{where}: cấp tỉnh không có đơn vị cha."] if row.parent_code else []
    if not row.parent_code:
        return [f"{where}: {LEVEL_NAMES[row.level]} '{row.code}' cần mã đơn vị cha (parent_code)."]
    parent_level = levels.get(row.parent_code)
    if parent_level is None:
        return [f"{where}: đơn vị cha '{row.parent_code}' không tồn tại."]
    if parent_level not in allowed:
        return [
            f"{where}: đơn vị cha '{row.parent_code}' là cấp {parent_level}, "
            f"không thể chứa cấp {row.level}."
        ]
    return []


def unit_path(parent_path: str | None, code: str) -> str:
    """The materialised path of a unit: its ancestors' codes and its own, between slashes."""
    return f"{parent_path or '/'}{code}/"
