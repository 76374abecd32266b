"""No personal data in the application's logs: a sign-in, a registration with a phone, a
member import and a server error (the database failing on a query that carries a phone
number) leave no phone number, password or full name in any log record."""

import io
import logging

import pytest
from sqlalchemy import text

from lms import create_app, migrate
from lms.accounts.services import create_user
from lms.db import session
from lms.limits import limiter
from tests.factories import make_team, make_unit

PHONE, PASSWORD, NAME = "0912345678", "mat-khau-bi-mat", "Hoàng Thị Bích Ngọc"
IMPORTED = ("0987654321", "Lò Văn Pằn")


@pytest.fixture
def live(tmp_path):
    """An app as deployed (errors logged, not raised) on a database file of its own."""
    app = create_app(
        {
            "SECRET_KEY": "logs",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'logs.sqlite3'}",
            "PROPAGATE_EXCEPTIONS": False,
        }
    )
    app.instance_path = str(tmp_path / "instance")
    migrate.upgrade(app.extensions["lms.db"].engine)
    with app.app_context():
        db = session()
        commune = make_unit(db, "commune", parent=make_unit(db, "province", code="L01"))
        make_team(db, commune=commune, code="TO-LOG")
        create_user(db, full_name="Cán Bộ Xã", password=PASSWORD, role="admin", login="quantri-log")
        db.commit()
    limiter.reset()
    yield app
    limiter.reset()
    app.extensions["lms.db"].engine.dispose()


def _csrf(client) -> dict:
    return {"X-CSRFToken": client.get("/api/v1/auth/csrf").get_json()["csrf_token"]}


def test_logs_hold_no_phone_password_or_name(live, caplog):
    caplog.set_level(logging.DEBUG)
    citizen = live.test_client()
    registered = citizen.post(
        "/api/v1/auth/register",
        json={"full_name": NAME, "phone": "+84 912 345 678", "password": PASSWORD},
        headers=_csrf(citizen),
    )
    assert registered.status_code == 202
    again = live.test_client()
    assert (
        again.post(
            "/api/v1/auth/login", json={"login": PHONE, "password": PASSWORD}, headers=_csrf(again)
        ).status_code
        == 200
    )
    wrong = live.test_client()
    assert (
        wrong.post(
            "/api/v1/auth/login",
            json={"login": PHONE, "password": "sai-" + PASSWORD},
            headers=_csrf(wrong),
        ).status_code
        == 401
    )

    admin = live.test_client()
    admin.post(
        "/api/v1/auth/login",
        json={"login": "quantri-log", "password": PASSWORD},
        headers=_csrf(admin),
    )
    upload = f"full_name,phone,team_code,role\n{IMPORTED[1]},{IMPORTED[0]},TO-LOG,\n"
    page = admin.get("/reports/import").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    imported = admin.post(
        "/reports/import",
        data={"csrf_token": token, "file": (io.BytesIO(upload.encode()), "ds.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.get_data(as_text=True)

    with live.app_context():  # the database fails under the next request
        session().execute(text("ALTER TABLE users RENAME TO users_away"))
        session().commit()
    failing = live.test_client()
    broken = failing.post(
        "/api/v1/auth/login",
        json={"login": PHONE, "password": PASSWORD},
        headers=_csrf(failing),
    )
    assert broken.status_code == 500 and broken.is_json
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the server error was logged"

    logged = "\n".join(
        record.getMessage()
        + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        for record in caplog.records
    )
    for secret in (PHONE, "912 345 678", PASSWORD, NAME, *IMPORTED):
        assert secret not in logged, secret


def test_both_databases_keep_statement_values_out_of_errors(database_url):
    from lms.db import make_engine

    for url in (database_url, "postgresql://nobody@127.0.0.1:1/none", "sqlite://"):
        engine = make_engine(url)
        assert engine.hide_parameters is True
        engine.dispose()
