"""Public verification: the page and the API, revocation, unknown codes, the rate limit."""

import re

import pytest

from lms.limits import limiter
from tests.certificates_support import HOLDER, issued, sign_in
from tests.factories import make_user


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Look-ups count per address for the whole run; each test starts from zero."""
    with app.app_context():
        limiter.reset()


def test_api_answers_for_a_valid_certificate(client, db):
    certificate = issued(db)
    response = client.get(f"/api/v1/certificates/{certificate.code}")
    assert response.status_code == 200
    body = response.get_json()
    assert body == {
        "valid": True,
        "serial": certificate.serial,
        "holder_name": HOLDER,
        "course": certificate.course_title,
        "issued_at": certificate.issued_at.isoformat() + "Z",
        "revoked": False,
        "revoked_reason": None,
    }


def test_code_as_typed_is_accepted(client, db):
    certificate = issued(db)
    typed = f"{certificate.code[:6].lower()}-{certificate.code[6:]}"
    assert client.get(f"/api/v1/certificates/{typed}").get_json()["serial"] == certificate.serial
    redirect = client.get("/verify", query_string={"code": typed})
    assert redirect.status_code == 302
    assert redirect.headers["Location"].endswith(f"/verify/{certificate.code}")


def test_unknown_code_is_404_json_and_page(client, db):
    response = client.get("/api/v1/certificates/ABCDEFGHJKMN")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found"
    assert "Không có chứng nhận" in error["message"]
    page = client.get("/verify/ABCDEFGHJKMN")
    assert page.status_code == 404
    assert "Không tìm thấy chứng nhận" in page.get_data(as_text=True)


def test_malformed_code_is_explained_next_to_the_field_and_kept(client, db):
    response = client.get("/verify", query_string={"code": "0O1"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-describedby="e-code"' in html and 'value="0O1"' in html
    assert '<span class="error" id="e-code">Mã xác minh không đúng dạng' in html


def test_page_shows_a_valid_certificate_without_sign_in(client, db):
    certificate = issued(db)
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert 'data-status="valid"' in page
    assert HOLDER in page and certificate.serial in page
    assert "Thu hồi chứng nhận" not in page  # only admins see the form
    assert "Tải chứng nhận" not in page  # nor the download link


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def test_admin_revokes_in_the_page_and_everyone_sees_it(app, client, db):
    certificate = issued(db)
    admin = make_user(db, role="admin")
    sign_in(client, admin)
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Thu hồi chứng nhận" in page
    without_token = client.post(f"/verify/{certificate.code}/revoke", data={"reason": "x"})
    assert without_token.status_code == 400
    assert certificate.revoked_at is None
    blank = client.post(
        f"/verify/{certificate.code}/revoke", data={"reason": " ", "csrf_token": _csrf_token(page)}
    )
    assert blank.status_code == 400
    assert "Cần ghi lý do thu hồi (trường “lý do”)" in blank.get_data(as_text=True)
    done = client.post(
        f"/verify/{certificate.code}/revoke",
        data={"reason": "Kết quả bài kiểm tra không hợp lệ", "csrf_token": _csrf_token(page)},
    )
    assert done.status_code == 303
    db.refresh(certificate)
    assert (certificate.revoked_by_id, certificate.revoked_at is not None) == (admin.id, True)
    with app.test_client() as stranger:
        shown = stranger.get(f"/verify/{certificate.code}").get_data(as_text=True)
        assert 'data-status="revoked"' in shown
        assert "Kết quả bài kiểm tra không hợp lệ" in shown
        body = stranger.get(f"/api/v1/certificates/{certificate.code}").get_json()
    assert (body["valid"], body["revoked"]) == (False, True)
    assert body["revoked_reason"] == "Kết quả bài kiểm tra không hợp lệ"


def test_only_admins_revoke(client, db):
    certificate = issued(db)
    sign_in(client, make_user(db, role="province_official"))
    page = client.get("/verify").get_data(as_text=True)
    response = client.post(
        f"/verify/{certificate.code}/revoke", data={"reason": "x", "csrf_token": _csrf_token(page)}
    )
    assert response.status_code == 403
    assert certificate.revoked_at is None


def test_lookups_are_rate_limited_per_address(client, db):
    certificate = issued(db)
    for n in range(30):
        path = f"/verify/{certificate.code}" if n % 2 else f"/api/v1/certificates/ABCDEFGHJK{n:02d}"
        assert client.get(path).status_code in (200, 404)
    refused = client.get(f"/api/v1/certificates/{certificate.code}")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    page = client.get(f"/verify/{certificate.code}")
    assert page.status_code == 429
    assert "quá nhiều" in page.get_data(as_text=True)
    other_address = client.get(
        f"/api/v1/certificates/{certificate.code}", environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other_address.status_code == 200
