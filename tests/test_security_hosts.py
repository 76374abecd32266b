"""Where requests come from and go to: `next=` stays on the site, absolute URLs start with
PUBLIC_URL whatever Host a request names, unknown hosts are refused, and the client's address
is read from X-Forwarded-For only behind TRUSTED_PROXIES."""

import re
import subprocess
from pathlib import Path

import pytest

from lms import create_app
from lms.accounts.services import create_user
from lms.config import ConfigError
from lms.i18n import safe_next
from lms.qr import qr_svg
from lms.web import forget_shared_pages
from tests.certificates_support import issued, sign_in
from tests.factories import make_team, make_user
from tests.learner_helpers import load_sample
from tests.pages_support import LESSON, csrf_from, new_client, post_form

PASSWORD = "mat-khau-an-toan"
PUBLIC = "https://hocso.example.vn"
EVIL = {"Host": "evil.example"}
OFF_SITE = [
    "/\t/evil.example",
    "/\n/x",
    "/\r\n/x",
    "/ /evil.example",
    "\\evil",
    "/\\evil.example",
    "\\\\evil.example",
    "//evil.example",
    "https://evil.example/",
    "/\u200b/evil.example",
    "/\u202e/evil.example",
    "/\x00/x",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.fixture
def member(db):
    return create_user(db, full_name="Trần Thị Hoa", password=PASSWORD, role="citizen", login="hoa")


@pytest.fixture
def public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    forget_shared_pages(app)
    yield PUBLIC
    forget_shared_pages(app)


# --- next= ---------------------------------------------------------------------------------


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_refuses_anything_but_a_plain_local_path(target):
    assert safe_next(target, "/home") == "/home"


def test_next_keeps_local_paths():
    for target in ("/me/progress", "/courses/mau?x=1", "/verify/ABC#top", "/học-bài"):
        assert safe_next(target) == target


@pytest.mark.parametrize("query", ["/%09/evil.example", "/%0a/x", "/%0d%0a/x", "%5cevil"])
def test_a_signed_in_visitor_is_never_sent_off_site_by_the_query(app, db, member, query):
    client = new_client(app)
    post_form(client, "/login", "/login", {"login": "hoa", "password": PASSWORD})
    for page in ("/login", "/register"):
        response = client.get(f"{page}?next={query}")
        assert response.status_code == 302, (page, query)
        assert response.headers["Location"] == "/me/progress"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "\\evil", "/\\evil.example"])
def test_the_sign_in_and_register_forms_never_send_off_site(app, db, member, target):
    client = new_client(app)
    data = {"login": "hoa", "password": PASSWORD, "next": target}
    assert post_form(client, "/login", "/login", data).headers["Location"] == "/me/progress"
    registered = post_form(
        new_client(app),
        "/register",
        "/register",
        {"full_name": "Lê Văn Bình", "phone": "0987654321", "password": PASSWORD, "next": target},
    )
    # registered: to the sign-in page, carrying only the safe default onward
    assert registered.headers["Location"] == "/login?next=/me/progress"
    language = post_form(new_client(app), "/", "/language", {"lang": "en", "next": target})
    assert language.headers["Location"] == "/"


def test_an_unsafe_next_on_the_sign_in_page_is_not_written_into_the_form(app, db):
    html = new_client(app).get("/login?next=/%0a/x").get_data(as_text=True)
    assert 'name="next" value=""' in html  # nowhere in particular: the person's landing
    assert "/x" not in html.split('name="next"', 1)[1].split(">", 1)[0]


# --- PUBLIC_URL ----------------------------------------------------------------------------


def _sign_in_at_evil_example(app, client, user) -> None:
    """Sign in, and let the browser send its session cookie to evil.example too."""
    sign_in(client, user)
    name = app.config["SESSION_COOKIE_NAME"]
    client.set_cookie(name, client.get_cookie(name).value, domain="evil.example")


def _share_qr_path(url: str) -> str:
    return re.search(r' d="([^"]+)"', qr_svg(url, "x"))[1]


def test_six_requests_for_evil_example_do_not_reach_the_next_first_visitor(app, db, public_url):
    load_sample(db)
    client = new_client(app)
    for _ in range(6):
        poisoned = client.get(LESSON, headers=EVIL).get_data(as_text=True)
        assert "evil.example" not in poisoned
    html = new_client(app).get(LESSON).get_data(as_text=True)  # new_client drops kept pages
    client.get(LESSON, headers=EVIL)
    kept = client.get(LESSON).get_data(as_text=True)
    for page in (html, kept):
        assert f'value="{PUBLIC}{LESSON}"' in page and "evil.example" not in page
        assert _share_qr_path(f"{PUBLIC}{LESSON}") in page


def test_without_public_url_each_host_keeps_its_own_first_visit_page(app, db):
    load_sample(db)
    client = new_client(app)
    for _ in range(6):
        client.get(LESSON, headers=EVIL)
    html = client.get(LESSON).get_data(as_text=True)
    assert f'value="http://localhost{LESSON}"' in html and "evil.example" not in html
    assert _share_qr_path(f"http://localhost{LESSON}") in html


def _pdf_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(run.stdout.split())


def _pdf_qr(path: Path, folder: Path) -> str:
    page = folder / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", path, page], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", f"{page}.png"], capture_output=True, text=True, check=True
    )
    return decoded.stdout.strip()


def test_the_certificate_pdf_and_its_qr_code_carry_the_public_url(
    app, client, db, public_url, tmp_path
):
    holder = make_user(db)
    certificate = issued(db, holder)
    _sign_in_at_evil_example(app, client, holder)
    response = client.get(f"/certificates/{certificate.serial}.pdf", headers=EVIL)
    assert response.status_code == 200
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.data)
    text = _pdf_text(path)
    assert f"Xác minh tại: {PUBLIC}/verify/{certificate.code}" in text
    assert "evil.example" not in text
    assert _pdf_qr(path, tmp_path).startswith(f"{PUBLIC}/verify/{certificate.code}#1.")


def test_the_api_builds_certificate_urls_from_the_public_url(app, client, db, public_url):
    holder = make_user(db)
    certificate = issued(db, holder)
    _sign_in_at_evil_example(app, client, holder)
    (answer,) = client.get("/api/v1/me/certificates", headers=EVIL).get_json()
    assert answer["verify_url"] == f"{PUBLIC}/verify/{certificate.code}"
    assert answer["pdf_url"] == f"{PUBLIC}/certificates/{certificate.serial}.pdf"


def test_team_links_and_invitations_carry_the_public_url(app, client, db, public_url):
    team = make_team(db)
    member = make_user(db, role="member", team=team)
    _sign_in_at_evil_example(app, client, member)
    profile = client.get("/profile", headers=EVIL).get_data(as_text=True)
    assert f"{PUBLIC}/join/{team.invite_code}" in profile
    share = client.get(f"/teams/{team.code}/share", headers=EVIL).get_data(as_text=True)
    assert f"{PUBLIC}/t/" in share and "evil.example" not in share + profile


def test_no_view_builds_an_absolute_url_from_the_request():
    """Absolute URLs are made in lms/hosts.py alone (public_base_url, public_url_for)."""
    package = Path(__file__).parent.parent / "lms"
    pattern = re.compile(r"_external\s*=\s*True|request\.(host|url_root|host_url)\b")
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        if path.name != "hosts.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    templates = [p for p in package.rglob("*.html") if pattern.search(p.read_text())]
    assert found == [] and templates == []


# --- TRUSTED_HOSTS -------------------------------------------------------------------------


def test_an_unknown_host_is_refused_in_the_visitors_language(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["hocso.example.vn"])
    client = new_client(app)
    refused = client.get("/", headers=EVIL)
    assert refused.status_code == 400
    assert "không phục vụ tên miền" in refused.get_data(as_text=True)
    client.set_cookie("lang", "en", domain="evil.example")
    english = client.get("/login", headers=EVIL).get_data(as_text=True)
    assert "does not serve the requested domain" in english
    api = client.get("/api/v1/courses", headers=EVIL)
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "unknown_host"
    posted = client.post("/login", data={"login": "x"}, headers=EVIL)  # before the CSRF check
    assert posted.status_code == 400 and "domain" in posted.get_data(as_text=True)
    assert client.get("/", headers={"Host": "hocso.example.vn"}).status_code == 200


def _production(tmp_path, **settings):
    settings = {"LMS_ENV": "production", "SECRET_KEY": "s", **settings}
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", **settings})


def test_production_needs_a_public_url_and_trusts_its_host_alone(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="PUBLIC_URL is required"):
        _production(tmp_path)
    monkeypatch.setenv("LMS_PUBLIC_URL", "https://hocso.example.vn/")
    app = _production(tmp_path)
    assert app.config["PUBLIC_URL"] == PUBLIC
    assert app.config["TRUSTED_HOSTS"] == ["hocso.example.vn"]
    assert app.test_client().get("/healthz").status_code == 400
    ok = app.test_client().get("/healthz", headers={"Host": "hocso.example.vn"})
    assert ok.status_code == 200
    monkeypatch.setenv("TRUSTED_HOSTS", "hocso.example.vn, 10.0.0.5")
    assert _production(tmp_path).config["TRUSTED_HOSTS"] == ["hocso.example.vn", "10.0.0.5"]


@pytest.mark.parametrize(
    "settings",
    [
        {"PUBLIC_URL": "hocso.example.vn"},
        {"PUBLIC_URL": "https://hocso.example.vn/hoc"},
        {"PUBLIC_URL": "ftp://hocso.example.vn"},
        {"PUBLIC_URL": PUBLIC, "TRUSTED_PROXIES": "hai"},
        {"PUBLIC_URL": PUBLIC, "TRUSTED_PROXIES": -1},
    ],
)
def test_a_wrong_address_setting_stops_the_start_naming_it(tmp_path, settings):
    with pytest.raises(ConfigError, match=next(iter(settings.keys() - {"PUBLIC_URL"}), "PUBLIC")):
        _production(tmp_path, **settings)


# --- TRUSTED_PROXIES -----------------------------------------------------------------------


@pytest.fixture
def behind_proxy(app, db, tmp_path):
    """The application behind one trusted proxy (the test client's address is the proxy's)."""
    proxied = create_app(
        {
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SECRET_KEY": "test-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
            "TRUSTED_PROXIES": 1,
            "LOGIN_RATE_LIMIT": "3/minute",
        }
    )
    proxied.instance_path = str(tmp_path)
    # The same database, seen through this test's transaction.
    proxied.extensions["lms.db"].sessionmaker = app.extensions["lms.db"].sessionmaker
    return proxied


def _failed_sign_in(client, address: str, n: int) -> int:
    headers = {"X-Forwarded-For": address}
    token = csrf_from(client.get("/login", headers=headers).get_data(as_text=True))
    data = {"csrf_token": token, "login": f"nobody{n}", "password": "sai-mat-khau"}
    return client.post("/login", data=data, headers=headers).status_code


def test_behind_a_trusted_proxy_each_client_has_its_own_limits(behind_proxy):
    bot, person = behind_proxy.test_client(), behind_proxy.test_client()
    assert [_failed_sign_in(bot, "203.0.113.7", n) for n in range(4)] == [401, 401, 401, 429]
    assert _failed_sign_in(person, "198.51.100.20", 9) == 401
    lookup = "/api/v1/certificates/ABCDEFGHJK23"
    bot_lookups = [
        bot.get(lookup, headers={"X-Forwarded-For": "203.0.113.7"}).status_code for _ in range(31)
    ]
    assert bot_lookups == [404] * 30 + [429]
    assert person.get(lookup, headers={"X-Forwarded-For": "198.51.100.20"}).status_code == 404


def test_behind_a_trusted_proxy_the_scheme_comes_from_it(behind_proxy, db):
    load_sample(db)
    client = behind_proxy.test_client()
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    html = client.get(LESSON, headers=headers).get_data(as_text=True)
    assert f'value="https://localhost{LESSON}"' in html


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3/minute")
    bot = new_client(app)
    statuses = [_failed_sign_in(bot, f"203.0.113.{n}", n) for n in range(4)]
    assert statuses == [401, 401, 401, 429]  # a new X-Forwarded-For each time did not help
    lookups = [
        bot.get("/api/v1/certificates/ABCDEFGHJK23", headers={"X-Forwarded-For": f"192.0.2.{n}"})
        for n in range(31)
    ]
    assert [r.status_code for r in lookups] == [404] * 30 + [429]
