from datetime import date, timedelta

from lms.contributions.steps import STEP_KEYS, check_session

TODAY = date(2026, 5, 20)


def test_consent_is_required_and_named():
    form = check_session(False, "", "", "", [], TODAY)
    assert set(form.errors) == {"consent"} and "(consent)" not in form.errors["consent"]
    assert str(form.errors["consent"]).startswith("Cần người dân đồng ý")


def test_name_and_phone_are_optional_and_normalised():
    empty = check_session(True, "  ", "", "", [], TODAY)
    assert not empty.errors and empty.citizen_name is None and empty.citizen_phone is None
    assert empty.held_on == TODAY
    filled = check_session(True, " Lò  Văn Páo ", "+84 (98) 765-4321", "", [], TODAY)
    assert (filled.citizen_name, filled.citizen_phone) == ("Lò Văn Páo", "0987654321")


def test_bad_phone_date_and_steps_are_named():
    form = check_session(True, "x" * 201, "0123", "2026-13-01", ["hack"], TODAY)
    assert set(form.errors) == {"citizen_name", "citizen_phone", "held_on", "steps"}
    future = check_session(True, "", "", (TODAY + timedelta(days=1)).isoformat(), [], TODAY)
    old = check_session(True, "", "", "2020-01-01", [], TODAY)
    assert "held_on" in future.errors and "held_on" in old.errors


def test_steps_keep_the_fixed_order_once_each():
    form = check_session(True, "", "", "2026-05-01", ["scam_protection", "vneid_level2"] * 2, TODAY)
    assert form.steps == ("vneid_level2", "scam_protection") and form.held_on == date(2026, 5, 1)
    assert len(STEP_KEYS) == 5
