"""Report rows and their arithmetic, sorting and filtering: plain values, no requests or SQL.
Column labels are lazy messages: they are read in the language of the page or file."""

import unicodedata
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l

SORT_KEYS = (
    "name",
    "code",
    "members",
    "started",
    "completed",
    "completion_percent",
    "quiz_pass_rate",
    "active_30d",
    "reached",
    "learned",
    "sessions",
    "steps",
)
COLUMNS = (
    ("code", _l("Mã")),
    ("name", _l("Tên")),
    ("members", _l("Thành viên")),
    ("started", _l("Đã bắt đầu")),
    ("completed", _l("Đã hoàn thành")),
    ("completion_percent", _l("Tỉ lệ hoàn thành (%)")),
    ("quiz_pass_rate", _l("Tỉ lệ đạt bài kiểm tra (%)")),
    ("active_30d", _l("Hoạt động 30 ngày")),
    ("reached", _l("Người dân tiếp cận")),
    ("learned", _l("Người dân đã học bài")),
    ("sessions", _l("Buổi hỗ trợ tại nhà")),
    ("steps", _l("Bước đã làm cùng người dân")),
)
# Counted per team, whatever the course: citizens reached through share links, those of
# them who read a lesson, assisted sessions, and real-world steps done in them.
CONTRIBUTION_FIELDS = ("reached", "learned", "sessions", "steps")
COUNTER_FIELDS = (
    "members",
    "started",
    "completed",
    "quiz_attempts",
    "quiz_passes",
    "active_30d",
    *CONTRIBUTION_FIELDS,
)


def percent(part: int, whole: int) -> float | None:
    """part/whole as a percentage with one decimal, None when whole is 0."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class ReportRow:
    kind: str  # "unit", "team" or "member"
    code: str
    name: str
    members: int = 0
    started: int = 0
    completed: int = 0
    quiz_attempts: int = 0
    quiz_passes: int = 0
    active_30d: int = 0
    reached: int = 0
    learned: int = 0
    sessions: int = 0
    steps: int = 0
    teams: int | None = None  # of a unit row; 0 means the unit has no team yet

    @property
    def has_team(self) -> bool:
        return self.teams != 0

    @property
    def completion_percent(self) -> float:
        return percent(self.completed, self.members) or 0.0

    @property
    def quiz_pass_rate(self) -> float | None:
        return percent(self.quiz_passes, self.quiz_attempts)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "members": self.members,
            "started": self.started,
            "completed": self.completed,
            "completion_percent": self.completion_percent,
            "quiz_pass_rate": self.quiz_pass_rate,
            "active_30d": self.active_30d,
            **{name: getattr(self, name) for name in CONTRIBUTION_FIELDS},
        }


def totals(rows: list[ReportRow], kind: str, code: str, name: str) -> ReportRow:
    """One row summing the counters of rows."""
    sums = {field: sum(getattr(row, field) for row in rows) for field in COUNTER_FIELDS}
    return ReportRow(kind=kind, code=code, name=name, **sums)


def sort_rows(rows: list[ReportRow], key: str, descending: bool) -> list[ReportRow]:
    """Rows sorted by a SORT_KEYS column (unknown keys sort by name); ties by code. Units
    with no team are not ranked: they follow the others in either order."""
    key = key if key in SORT_KEYS else "name"

    def value(row: ReportRow):
        found = getattr(row, key)
        if found is None:  # no quiz attempts: after every number in ascending order
            return (1, 0.0)
        return (0, name_key(found) if isinstance(found, str) else found)

    ordered = sorted(rows, key=lambda row: row.code)
    ranked = sorted((row for row in ordered if row.has_team), key=value, reverse=descending)
    return ranked + [row for row in ordered if not row.has_team]


def name_key(name: str) -> tuple[str, str]:
    """Vietnamese-friendly order: letters without their marks first ("Ấp" near "An")."""
    folded = name.casefold().replace("đ", "d")
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return bare, folded


def below(rows: list[ReportRow], threshold: float | None) -> list[ReportRow]:
    """Rows whose completion percentage is under the threshold (all rows when None); a
    unit with no team has no percentage to compare, so a threshold leaves it out."""
    if threshold is None:
        return list(rows)
    return [row for row in rows if row.has_team and row.completion_percent < threshold]


def table_cells(row: ReportRow) -> list:
    """The row's values in COLUMNS order, as shown and exported."""
    return [getattr(row, key) for key, _label in COLUMNS]


def relabel(row: ReportRow, name: str) -> ReportRow:
    return replace(row, name=name)


def display(value) -> str:
    """A cell as the page shows it: '–' for no value, numbers without trailing zeros."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
