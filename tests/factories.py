"""Small factories for test data, flushing into the test session."""

import itertools

from lms.accounts.models import User
from lms.units.models import Team, Unit
from lms.units.services import new_invite_code

_numbers = itertools.count(1)


def make_unit(db, level="province", parent=None, code=None, name=None) -> Unit:
    code = code or f"T{next(_numbers):05d}"
    unit = Unit(
        code=code,
        name=name or f"Đơn vị {code}",
        level=level,
        parent=parent,
        path=f"{parent.path if parent else '/'}{code}/",
    )
    db.add(unit)
    db.flush()
    return unit


def make_commune(db) -> Unit:
    return make_unit(db, "commune", parent=make_unit(db, "province"))


def make_team(db, commune=None, code=None) -> Team:
    team = Team(
        code=code or f"TEAM{next(_numbers)}",
        name="Thôn Đông",
        commune=commune or make_commune(db),
        invite_code=new_invite_code(),
    )
    db.add(team)
    db.flush()
    return team


def make_user(db, role="citizen", **fields) -> User:
    n = next(_numbers)
    user = User(
        full_name=fields.pop("full_name", f"Người dùng {n}"),
        role=role,
        login=fields.pop("login", f"user{n}"),
        **fields,
    )
    db.add(user)
    db.flush()
    return user
