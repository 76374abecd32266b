"""How many teams each child unit has: a unit with none is shown as "no team yet" and is
never ranked, rather than as a unit at 0 %."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from lms.units.models import Team, Unit


def team_counts(db: Session, parent: Unit | None) -> dict[str, int]:
    """Teams under each child of parent (of the country when None), by the child's code;
    a child without a team is missing from the answer."""
    child, commune = aliased(Unit), aliased(Unit)
    under_child = func.substr(commune.path, 1, func.length(child.path)) == child.path
    where = child.parent_id.is_(None) if parent is None else child.parent_id == parent.id
    query = (
        select(child.code, func.count(Team.id))
        .select_from(child)
        .join(commune, under_child)
        .join(Team, Team.commune_id == commune.id)
        .where(where)
        .group_by(child.code)
    )
    return dict(db.execute(query).all())
