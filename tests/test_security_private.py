"""Smaller controls: the language cookie's flags, invite-code guesses, a revoked certificate's
signed link, and personal answers kept out of every cache."""

import pytest

from lms.accounts.tokens import create_token
from lms.certificates import files
from lms.certificates.services import revoke
from tests.certificates_support import issued, sign_in
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import load_sample
from tests.pages_support import LESSON, new_client, post_form, production_app


def _language_cookie(client) -> str:
    response = post_form(client, "/", "/language", {"lang": "en", "next": "/"})
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")]
    return cookie


def test_the_language_cookie_is_secure_in_production(app, db, tmp_path):
    development = _language_cookie(new_client(app))
    assert "HttpOnly" in development and "SameSite=Lax" in development
    assert "Secure" not in development
    production = production_app(app)
    production.instance_path = str(tmp_path)
    cookie = _language_cookie(production.test_client())
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- invite codes --------------------------------------------------------------------------


def test_wrong_invite_codes_are_limited_per_address_in_the_sites_layout(app, db):
    team = make_team(db)
    guesser = new_client(app)
    answers = [guesser.get(f"/join/WRONG{n:03d}").status_code for n in range(10)]
    assert answers == [404] * 10
    refused = guesser.get(f"/join/{team.invite_code}")
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Đã nhập sai mã mời quá nhiều lần" in html
    assert '<header class="top">' in html and "<footer>" in html  # the site's layout
    guesser.set_cookie("lang", "en")
    english = guesser.get("/join/WRONG999").get_data(as_text=True)
    assert "Too many wrong invite codes" in english
    assert new_client(app).get(f"/join/{team.invite_code}").status_code == 200  # another address


def test_the_profile_form_counts_with_the_link_and_right_codes_cost_nothing(app, db):
    team = make_team(db)
    opener = new_client(app)
    assert {opener.get(f"/join/{team.invite_code}").status_code for _ in range(15)} == {200}
    citizen = make_user(db)
    db.commit()  # a refused code rolls the request's work back, and the test shares its session
    sign_in(opener, citizen)
    for n in range(10):
        post_form(opener, "/profile", "/profile/team", {"invite_code": f"WRONG{n:03d}"})
    refused = post_form(opener, "/profile", "/profile/team", {"invite_code": team.invite_code})
    assert refused.status_code == 429


# --- a revoked certificate's link ----------------------------------------------------------


def test_a_revoked_certificates_signed_link_stops_at_once(app, client, db):
    holder = make_user(db)
    certificate = issued(db, holder)
    sign_in(client, holder)
    assert client.get(f"/certificates/{certificate.serial}.pdf").status_code == 200
    link = files.signed_path(app.config["SECRET_KEY"], certificate.serial, certificate.code)
    anyone = app.test_client()
    assert anyone.get(link).status_code == 200  # the file is now kept in the instance folder
    revoke(db, certificate, "Cấp nhầm người", by=make_user(db, role="admin"))
    db.flush()
    response = anyone.get(link)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/verify/{certificate.code}"
    assert b"%PDF" not in response.data
    verify_page = anyone.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cấp nhầm người" in verify_page


# --- no-store ------------------------------------------------------------------------------


@pytest.fixture
def official(db):
    province = make_unit(db, "province")
    return make_user(db, role="province_official", unit=province)


def test_pages_about_a_person_are_no_store(app, db, official):
    load_sample(db)
    citizen_team = make_team(db)
    member = make_user(db, role="member", team=citizen_team)
    certificate = issued(db, member)
    client = new_client(app)
    sign_in(client, member)
    for path in (
        "/profile",
        "/me/progress",
        "/me/certificates",
        f"/teams/{citizen_team.code}/share",
        LESSON,
        "/api/v1/me/certificates",
        "/api/v1/me/progress",
        f"/certificates/{certificate.serial}.pdf?x",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        expected = "private, max-age=86400" if path.endswith(".pdf?x") else "no-store"
        assert response.headers["Cache-Control"] == expected, path
    manager = new_client(app)
    sign_in(manager, official)
    reports = manager.get(f"/reports/units/{official.unit.code}")
    assert reports.status_code == 200 and reports.headers["Cache-Control"] == "no-store"


def test_api_answers_for_a_token_and_a_guests_pages_are_no_store(app, db, official):
    _token, secret = create_token(db, official, "báo cáo")
    bearer = {"Authorization": f"Bearer {secret}"}
    response = new_client(app).get("/api/v1/me/certificates", headers=bearer)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    load_sample(db)
    guest = new_client(app)
    post_form(guest, LESSON, f"{LESSON}/done", {})
    assert guest.get("/me/progress").headers["Cache-Control"] == "no-store"


def test_pages_for_nobody_in_particular_stay_shareable_by_revalidation(app, db):
    load_sample(db)
    client = new_client(app)
    assert client.get(LESSON).headers["Cache-Control"] == "no-cache, private"
    assert client.get("/login").headers["Cache-Control"] == "no-cache, private"
