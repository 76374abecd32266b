"""Administrative units and teams.

Units form a tree: province > (district, in pre-2025 data) > commune. Each unit keeps a
materialised `path` of codes ("/01/00004/") so that "everything under X" is one
indexed prefix query. Teams (thôn, bản, tổ dân phố) hang under communes.
"""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base
from lms.text import keep_visible

LEVELS = ("province", "district", "commune")


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(40), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(100), index=True)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    invite_code: Mapped[str] = mapped_column(String(16), unique=True)

    commune: Mapped[Unit] = relationship()

    def __repr__(self) -> str:
        return f"<Team {self.code} {self.name}>"


keep_visible(Unit.name, Team.name)
