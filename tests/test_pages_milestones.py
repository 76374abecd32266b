"""The learner's milestones without JavaScript: "Bài sau" counts the lesson as read (also on
the page kept for first-time visitors), the quiz that completes a course says so and offers
the certificate (or registration to a guest), and the certificates page lists cards."""

import re

import pytest
from sqlalchemy import select

from lms.accounts.identity import GUEST_COOKIE
from lms.courses.models import LessonProgress
from lms.quizzes.models import Option, QuizAttempt
from tests.certificates_support import sign_in
from tests.factories import make_user
from tests.learner_helpers import load_sample, quiz_of
from tests.pages_support import csrf_from, new_client

LESSON = "/courses/mau/modules/bat-dau/lessons/chao-mung"
SECOND = "/courses/mau/modules/bat-dau/lessons/dich-vu-cong"
NEXT_MODULE = "/courses/mau/modules/an-toan/lessons/ma-otp"
_TOKENS = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def course(db):
    return load_sample(db)


def _next_form(html: str) -> str:
    """The "Bài sau" form of a lesson page."""
    start = html.index('<nav class="pager"')
    form = html[start : html.index("</nav>", start)]
    assert '<input type="hidden" name="go" value="next">' in form
    assert "Bài sau" in form and "<form" in form
    return form


def test_next_is_a_form_on_the_kept_first_visit_page_with_each_visitors_token(app, db, course):
    first, second = new_client(app), new_client(app)
    html_first = first.get(LESSON).get_data(as_text=True)
    html_second = second.get(LESSON).get_data(as_text=True)  # the kept page
    for html in (html_first, html_second):
        tokens = set(_TOKENS.findall(_next_form(html))) | set(_TOKENS.findall(html))
        assert tokens == {csrf_from(html)} and "\x00" not in html
    assert csrf_from(html_first) != csrf_from(html_second)  # each visitor's own token
    token = csrf_from(_next_form(html_second))
    response = second.post(f"{LESSON}/done", data={"csrf_token": token, "go": "next"})
    assert response.status_code == 302 and response.headers["Location"] == SECOND
    assert db.scalar(select(LessonProgress)) is not None  # the lesson counts as read
    assert second.get_cookie(GUEST_COOKIE) is not None


def test_next_at_the_end_of_a_module_opens_the_next_module(app, db, course):
    client = new_client(app)
    html = client.get(SECOND).get_data(as_text=True)
    response = client.post(
        f"{SECOND}/done", data={"csrf_token": csrf_from(_next_form(html)), "go": "next"}
    )
    assert response.headers["Location"] == NEXT_MODULE
    # "Đánh dấu đã học" (without go=next) stays on the lesson at a module's end
    again = client.post(f"{SECOND}/done", data={"csrf_token": csrf_from(html)})
    assert again.headers["Location"] == SECOND


def test_a_read_lesson_keeps_next_as_a_plain_link(app, db, course):
    client = new_client(app)
    html = client.get(LESSON).get_data(as_text=True)
    client.post(f"{LESSON}/done", data={"csrf_token": csrf_from(html)})
    read = client.get(LESSON).get_data(as_text=True)
    assert f'<a class="btn alt next" href="{SECOND}" rel="next">' in read
    assert 'name="go"' not in read


def _pass(client, db, module: str):
    quiz = quiz_of(db, module)
    client.get(f"/quizzes/{quiz.id}")
    attempt = db.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    html = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    answers = {"csrf_token": csrf_from(html)}
    for item in attempt.layout:
        options = db.scalars(select(Option).where(Option.id.in_(item["option_ids"])))
        answers[f"q{item['question_id']}"] = [str(o.id) for o in options if o.correct]
    client.post(f"/attempts/{attempt.id}", data=answers)
    return client.get(f"/attempts/{attempt.id}").get_data(as_text=True)


def test_the_quiz_that_completes_the_course_offers_the_certificate(app, db, course):
    client = new_client(app)
    sign_in(client, make_user(db, role="citizen"))
    first = _pass(client, db, "bat-dau")
    assert 'class="banner"' not in first  # one module of two
    last = _pass(client, db, "an-toan")
    banner = last[last.index('<section class="banner"') :]
    banner = banner[: banner.index("</section>")]
    assert "Bạn đã hoàn thành khoá học" in banner
    link = re.search(r'<a class="btn big wide" href="([^"]+)">Tải chứng nhận</a>', banner)
    assert link and link.group(1).startswith("/files/certificates/")
    mine = client.get("/me/certificates").get_data(as_text=True)
    assert '<li class="card">' in mine and 'class="btn wide"' in mine
    assert "Tải chứng nhận (PDF)" in mine


def test_a_guest_who_completes_the_course_is_invited_to_register_for_it(app, db, course):
    client = new_client(app)
    _pass(client, db, "bat-dau")
    last = _pass(client, db, "an-toan")
    banner = last[last.index('<section class="banner"') :]
    banner = banner[: banner.index("</section>")]
    assert "Bạn đã hoàn thành khoá học" in banner and "Tải chứng nhận" not in banner
    assert "Đăng ký để nhận chứng nhận" in banner and 'href="/register?next=/attempts/' in banner


def test_the_lesson_hides_read_aloud_and_its_note_until_the_script_decides(app, db, course):
    html = new_client(app).get(LESSON).get_data(as_text=True)
    assert re.search(r"<button [^>]*data-read-aloud[^>]*hidden>Nghe bài học</button>", html)
    assert re.search(r'<p class="muted" data-no-voice hidden>Máy này chưa có giọng đọc', html)
