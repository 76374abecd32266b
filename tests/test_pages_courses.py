"""Home, course and lesson pages, and marking a lesson read, as a guest without JavaScript."""

import gzip

import pytest
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.courses.models import Lesson, LessonProgress, Module
from lms.courses.reading import reading_order
from tests.learner_helpers import load_sample
from tests.pages_support import LESSON, csrf_from, new_client, post_form


@pytest.fixture
def client(app, db):
    load_sample(db)
    return new_client(app)


def test_home_lists_courses_and_a_featured_topic(client):
    html = client.get("/").get_data(as_text=True)
    assert "Khoá học mẫu" in html
    assert "Chủ đề nổi bật" in html
    assert 'href="/courses/mau/modules/bat-dau/lessons/chao-mung"' in html
    assert 'lang="vi"' in html


def test_course_page_lists_modules_lessons_and_quizzes(client):
    html = client.get("/courses/mau").get_data(as_text=True)
    assert html.index("Bắt đầu") < html.index("An toàn")
    assert html.count("/lessons/") == 3
    assert html.count('href="/quizzes/') == 2
    assert "0/3 bài" in html


def test_lesson_page_has_boxes_pager_share_link_and_qr(client):
    response = client.get(LESSON)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div class="admonition ghi-nho">' in html
    assert '<link rel="next" href="/courses/mau/modules/bat-dau/lessons/dich-vu-cong">' in html
    assert 'rel="prev"' not in html
    assert 'value="http://localhost/courses/mau/modules/bat-dau/lessons/chao-mung"' in html
    assert "<svg" in html and "<title>Mã QR mở bài học Chào mừng</title>" in html
    assert "Đánh dấu đã học" in html and "Nghe bài học" in html
    assert "no-cache" in response.headers["Cache-Control"]


def test_last_lesson_of_a_module_offers_the_quiz_and_links_across_modules(client):
    html = client.get("/courses/mau/modules/bat-dau/lessons/dich-vu-cong").get_data(as_text=True)
    assert "Làm bài kiểm tra của mô-đun" in html
    assert '<link rel="next" href="/courses/mau/modules/an-toan/lessons/ma-otp">' in html


def test_unknown_pages_say_so_in_vietnamese(client):
    for url in ("/courses/khong-co", "/courses/mau/modules/bat-dau/lessons/khong-co"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_a_guest_marks_a_lesson_read_and_sees_progress(client, db):
    response = post_form(client, LESSON, LESSON + "/done", {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/lessons/dich-vu-cong")
    assert "hs_guest" in response.headers.get("Set-Cookie", "")
    guest = db.scalar(select(User).where(User.role == "guest"))
    assert (
        db.scalar(
            select(func.count())
            .select_from(LessonProgress)
            .where(LessonProgress.user_id == guest.id)
        )
        == 1
    )
    html = client.get(LESSON).get_data(as_text=True)
    assert "Bạn đã học bài này" in html and "Đánh dấu đã học" not in html
    progress = client.get("/me/progress").get_data(as_text=True)
    assert "1/3 bài" in progress and "tiến độ chỉ lưu trên máy này" in progress


def test_marking_read_twice_records_once(client, db):
    post_form(client, LESSON, LESSON + "/done", {})
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post(LESSON + "/done", data={"csrf_token": token}).status_code == 302
    assert db.scalar(select(func.count()).select_from(LessonProgress)) == 1


def test_a_form_without_csrf_token_is_refused(client, db):
    response = client.post(LESSON + "/done")
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(LessonProgress)) == 0


def test_the_json_api_answers_in_json_not_with_the_form_error_page(client):
    response = client.post("/api/v1/auth/login", json={"login": "nobody", "password": "x" * 8})
    assert response.status_code in (400, 401)
    assert response.is_json
    assert "Phiên làm việc đã hết hạn" not in response.get_data(as_text=True)


def test_lesson_page_weight_is_small(client):
    html = client.get(LESSON).data
    css = client.get("/static/app.css").data
    assert len(gzip.compress(html)) + len(gzip.compress(css)) < 30 * 1024


def test_static_files_are_versioned_and_cached_for_a_year(client):
    html = client.get(LESSON).get_data(as_text=True)
    css_url = html.split('rel="stylesheet" href="')[1].split('"')[0]
    response = client.get(css_url)
    assert "?v=" in css_url
    assert "immutable" in response.headers["Cache-Control"]


def test_service_worker_manifest_and_offline_page(client):
    worker = client.get("/sw.js")
    assert worker.headers["Content-Type"].startswith("text/javascript")
    assert "/offline" in worker.get_data(as_text=True)
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert "Bạn đang ngoại tuyến" in client.get("/offline").get_data(as_text=True)


def test_first_visitors_share_one_render_but_each_gets_a_token(client, app, db):
    other = new_client(app)
    first, second = client.get(LESSON), other.get(LESSON)
    tokens = {csrf_from(first.get_data(as_text=True)), csrf_from(second.get_data(as_text=True))}
    assert len(tokens) == 2
    assert app.extensions["lms.shared_pages"]
    for visitor, page in ((client, first), (other, second)):
        token = csrf_from(page.get_data(as_text=True))
        assert visitor.post(LESSON + "/done", data={"csrf_token": token}).status_code == 302
    assert db.scalar(select(func.count()).select_from(LessonProgress)) == 2


def test_the_shared_render_follows_the_language_cookie(client):
    client.get(LESSON)
    client.set_cookie("lang", "en")
    assert "Mark as read" in client.get(LESSON).get_data(as_text=True)


def test_the_kept_reading_order_is_rebuilt_for_a_lesson_it_does_not_hold(client, app, db):
    first = db.scalar(select(Lesson).where(Lesson.slug == "chao-mung"))
    assert [s.slug for s in reading_order(db, "mau", first).stops][:2] == [
        "chao-mung",
        "dich-vu-cong",
    ]
    module = db.scalar(select(Module).where(Module.slug == "bat-dau"))
    added = Lesson(
        module_id=module.id, slug="bai-moi", title="Bài mới", position=3, html="<p>x</p>"
    )
    db.add(added)
    db.flush()
    db.expire(module)
    order = reading_order(db, "mau", added)
    assert [s.slug for s in order.stops][:3] == ["chao-mung", "dich-vu-cong", "bai-moi"]
    assert order.module_sizes[module.id] == 3
    html = client.get("/courses/mau/modules/bat-dau/lessons/dich-vu-cong").get_data(as_text=True)
    assert '<link rel="next" href="/courses/mau/modules/bat-dau/lessons/bai-moi">' in html
