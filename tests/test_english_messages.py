"""Messages the security and screens work added speak English on the English site too."""

from flask_babel import force_locale

from lms.i18n import LOCALE_COOKIE
from lms.quizzes.services import RetryTooSoon
from lms.tabular import TableError, TableLimits, read_table
from tests.learner_helpers import api_client, load_sample, switch_person
from tests.tabular_support import crafted_xlsx, header_row

COLUMNS = ("full_name", "phone", "team_code", "role")
NEW = {"full_name": "Lê Thị Hoa", "phone": "0912 345 678", "password": "mat-khau-dai"}


def _refusal(app, data: bytes, limits: TableLimits) -> str:
    with app.test_request_context(), force_locale("en"):
        try:
            read_table("ds.xlsx", data, COLUMNS, limits)
        except TableError as error:
            return str(error)
    raise AssertionError("the table was not refused")


def test_table_limits_are_told_in_english(app):
    too_wide = crafted_xlsx("A1:XFD20", header_row(COLUMNS))
    assert _refusal(app, too_wide, TableLimits()) == (
        "The file has too many columns: at most 30 columns."
    )
    too_long = crafted_xlsx("A1:D20000", header_row(COLUMNS))
    assert _refusal(app, too_long, TableLimits(rows=100)).startswith(
        "The file has too many rows: at most 100 data rows"
    )


def test_the_quiz_pause_is_told_in_english(app):
    with app.test_request_context(), force_locale("en"):
        assert str(RetryTooSoon(42)) == "You can take this quiz again in 42 seconds."


def test_the_api_registration_answer_is_english(app, db):
    load_sample(db)
    switch_person()
    api = api_client(app)
    api.set_cookie(LOCALE_COOKIE, "en")
    response = api.post("/api/v1/auth/register", json=NEW)
    assert response.status_code == 202
    assert response.get_json()["message"].startswith("Registration received. Sign in")
