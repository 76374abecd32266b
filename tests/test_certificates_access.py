"""Who gets which certificate: the holder, admins, officials over the team; ZIP and CSV."""

import csv
import io
import zipfile

from lms.accounts.tokens import create_token
from tests.certificates_support import issued, make_course, sign_in
from tests.factories import make_team, make_unit, make_user


def _place(db):
    """A province with two communes, one team in each; a member certified in each team."""
    province = make_unit(db, "province")
    near, far = make_unit(db, "commune", parent=province), make_unit(db, "commune", parent=province)
    teams = make_team(db, commune=near), make_team(db, commune=far)
    course = make_course(db, "member", "Khóa thành viên")
    members = [make_user(db, role="member", team=team) for team in teams]
    return province, near, teams, [issued(db, member, course) for member in members]


def test_holder_downloads_with_cache_headers_and_etag(client, db):
    certificate = issued(db)
    user = make_user(db)
    mine = issued(db, user)
    sign_in(client, user)
    response = client.get(f"/certificates/{mine.serial}.pdf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    etag = response.headers["ETag"]
    assert response.data.startswith(b"%PDF-")
    again = client.get(f"/certificates/{mine.serial}.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get(f"/certificates/{certificate.serial}.pdf").status_code == 404  # not theirs


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    certificate = issued(db)
    response = client.get(f"/certificates/{certificate.serial}.pdf")
    assert response.status_code == 302
    assert "next=" in response.headers["Location"]


def test_officials_see_only_their_units(client, db):
    province, near, teams, certificates = _place(db)
    commune_official = make_user(db, role="commune_official", unit=near)
    sign_in(client, commune_official)
    assert client.get(f"/certificates/{certificates[0].serial}.pdf").status_code == 200
    assert client.get(f"/certificates/{certificates[1].serial}.pdf").status_code == 404
    assert client.get(f"/certificates/teams/{teams[1].code}.zip").status_code == 404
    listing = client.get("/certificates/scope").get_data(as_text=True)
    assert teams[0].commune.name in listing and teams[1].commune.name not in listing
    rows = list(csv.DictReader(io.StringIO(client.get("/certificates/export.csv").text[1:])))
    assert [row["serial"] for row in rows] == [certificates[0].serial]
    sign_in(client, make_user(db, role="province_official", unit=province))
    rows = list(csv.DictReader(io.StringIO(client.get("/certificates/export.csv").text[1:])))
    assert sorted(row["serial"] for row in rows) == sorted(c.serial for c in certificates)


def test_team_zip_holds_every_pdf(client, db):
    province, near, teams, certificates = _place(db)
    second = issued(db, make_user(db, role="member", team=teams[0]))
    sign_in(client, make_user(db, role="commune_official", unit=near))
    response = client.get(f"/certificates/teams/{teams[0].code}.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == sorted(
        f"{c.serial}.pdf" for c in (certificates[0], second)
    )
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())


def test_learners_cannot_list_others(client, db):
    sign_in(client, make_user(db, role="member"))
    assert client.get("/certificates/scope").status_code == 403
    assert client.get("/certificates/export.csv").status_code == 403


def test_csv_cells_cannot_start_formulas(client, db):
    certificate = issued(db, full_name='=HYPERLINK("http://x")')
    sign_in(client, make_user(db, role="admin"))
    text = client.get("/certificates/export.csv").text
    assert text.startswith("\ufeffserial,")
    row = next(
        r for r in csv.DictReader(io.StringIO(text[1:])) if r["serial"] == certificate.serial
    )
    assert row["holder_name"].startswith("'=")


def test_my_certificates_page_and_api(client, db):
    user = make_user(db)
    certificate = issued(db, user)
    assert client.get("/api/v1/me/certificates").status_code == 401
    assert client.get("/api/v1/me/certificates").get_json()["error"]["code"] == "unauthorized"
    sign_in(client, user)
    listed = client.get("/api/v1/me/certificates").get_json()
    assert listed == [
        {
            "serial": certificate.serial,
            "course": certificate.course_title,
            "issued_at": certificate.issued_at.isoformat() + "Z",
            "verify_url": f"http://localhost/verify/{certificate.code}",
            "pdf_url": f"http://localhost/certificates/{certificate.serial}.pdf",
            "revoked": False,
        }
    ]
    page = client.get("/me/certificates").get_data(as_text=True)
    assert "Chứng nhận của tôi" in page
    assert certificate.serial in page and f"/certificates/{certificate.serial}.pdf" in page


def test_my_certificates_with_a_bearer_token(app, db):
    official = make_user(db, role="commune_official", unit=make_unit(db, "commune"))
    certificate = issued(db, official)
    _, secret = create_token(db, official, "Máy tính xã")
    response = app.test_client().get(
        "/api/v1/me/certificates", headers={"Authorization": f"Bearer {secret}"}
    )
    assert [item["serial"] for item in response.get_json()] == [certificate.serial]
