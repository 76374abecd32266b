"""Honours ("Tôn vinh"): standings of units and teams, ranked. Plain values, no Flask or SQL.

Completion % over a period is the members who completed the course in the period over the
members today; contribution is citizens reached plus assisted sessions in the period.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.reports.tables import name_key, percent

MEASURES = (("completion_percent", _l("Tỉ lệ hoàn thành")), ("contribution", _l("Đóng góp")))


@dataclass(frozen=True)
class Standing:
    kind: str  # "unit" or "team"
    code: str
    name: str
    members: int = 0
    completed: int = 0
    reached: int = 0
    sessions: int = 0
    teams: int = 1  # a unit with no team yet is shown as such and never ranked

    @property
    def completion_percent(self) -> float:
        return percent(self.completed, self.members) or 0.0

    @property
    def contribution(self) -> int:
        return self.reached + self.sessions


def ranked(standings: list[Standing], measure: str) -> list[tuple[int | None, Standing]]:
    """Highest first, ties by name; equal values share a rank (1, 1, 3).

    Only a value above zero earns a rank, so a measure where everyone has 0 ranks nobody
    first; units with no team come last, unranked.
    """
    ordered = sorted(
        standings,
        key=lambda s: (s.teams == 0, -getattr(s, measure), name_key(s.name), s.code),
    )
    result, rank, previous = [], 0, None
    for position, standing in enumerate(ordered, start=1):
        value = getattr(standing, measure)
        if standing.teams == 0 or not value:
            result.append((None, standing))
            continue
        if value != previous:
            rank, previous = position, value
        result.append((rank, standing))
    return result
