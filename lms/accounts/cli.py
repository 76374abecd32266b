"""`flask lms users create`."""

import click
from flask.cli import AppGroup

from lms.accounts.models import ROLES
from lms.accounts.services import AccountError, create_user
from lms.db import session

users_group = AppGroup("users", help="People and their roles.")


@users_group.command("create")
@click.option("--login", help="User name for signing in.")
@click.option("--phone", help="Vietnamese mobile number (also signs in).")
@click.option("--password", required=True)
@click.option("--name", "full_name", required=True, help="Full name, as on papers.")
@click.option("--role", required=True, type=click.Choice([r for r in ROLES if r != "guest"]))
@click.option("--unit", "unit_code", help="Unit code (required for officials).")
@click.option("--team", "team_code", help="Team code (members and team leaders).")
def create(login, phone, password, full_name, role, unit_code, team_code):
    """Create a user with a role."""
    db = session()
    try:
        user = create_user(
            db,
            full_name=full_name,
            password=password,
            role=role,
            login=login,
            phone=phone,
            unit_code=unit_code,
            team_code=team_code,
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()
    click.echo(f"Đã tạo người dùng #{user.id} ({user.login or user.phone}, {role}).")
