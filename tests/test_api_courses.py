import pytest

from tests.learner_helpers import api_client, load_sample

LESSON = "/api/v1/courses/mau/modules/bat-dau/lessons/chao-mung"


@pytest.fixture
def api(app, db):
    load_sample(db)
    return api_client(app)


def test_list_courses_counts_active_modules_and_lessons(api):
    body = api.get("/api/v1/courses").get_json()
    assert body == {
        "courses": [
            {
                "slug": "mau",
                "title": "Khoá học mẫu",
                "track": "citizen",
                "summary": "Một khoá nhỏ để thử đường nạp nội dung.",
                "modules": 2,
                "lessons": 3,
            }
        ]
    }


def test_course_detail_lists_modules_lessons_and_quizzes(api):
    body = api.get("/api/v1/courses/mau").get_json()
    assert (body["slug"], body["track"]) == ("mau", "citizen")
    assert [m["slug"] for m in body["modules"]] == ["bat-dau", "an-toan"]
    first = body["modules"][0]
    assert [lesson["slug"] for lesson in first["lessons"]] == ["chao-mung", "dich-vu-cong"]
    assert first["lessons"][0] == {
        "slug": "chao-mung",
        "title": first["lessons"][0]["title"],
        "minutes": 2,
        "completed": False,
    }
    assert set(first["quiz"]) == {"id", "questions_per_attempt", "pass_percent"}
    assert (first["quiz"]["questions_per_attempt"], first["quiz"]["pass_percent"]) == (2, 60)
    assert first["completed"] is False


def test_a_lesson_with_its_neighbours(api):
    body = api.get(LESSON).get_json()
    assert body["slug"] == "chao-mung" and body["minutes"] == 2 and body["sources"] == [19]
    assert 'href="https://dichvucong.gov.vn"' in body["html"]
    assert body["previous"] is None
    assert body["next"]["module"] == "bat-dau" and body["next"]["lesson"] == "dich-vu-cong"
    last = api.get("/api/v1/courses/mau/modules/an-toan/lessons/ma-otp").get_json()
    assert last["previous"]["lesson"] == "dich-vu-cong" and last["next"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/courses/khong-co",
        "/api/v1/courses/mau/modules/bat-dau/lessons/khong-co",
        "/api/v1/courses/mau/modules/an-toan/lessons/chao-mung",
    ],
)
def test_unknown_courses_and_lessons_are_404_json(api, path):
    response = api.get(path)
    assert response.status_code == 404 and response.is_json
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_retired_lesson_is_gone(api, db):
    from sqlalchemy import select

    from lms.courses.models import Lesson

    db.scalar(select(Lesson).where(Lesson.slug == "chao-mung")).retired = True
    db.flush()
    assert api.get(LESSON).status_code == 404
    assert api.get("/api/v1/courses").get_json()["courses"][0]["lessons"] == 2


def test_a_guest_completes_a_lesson_and_sees_it(api):
    empty = api.get("/api/v1/me/progress").get_json()
    assert empty["courses"][0] == {
        "slug": "mau",
        "completed": False,
        "lessons_done": 0,
        "lessons_total": 3,
        "modules_done": 0,
        "modules_total": 2,
    }
    assert api.get_cookie("hs_guest") is None

    response = api.post(LESSON + "/complete")

    assert response.status_code == 200 and response.get_json() == {"completed": True}
    cookie = api.get_cookie("hs_guest")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    progress = api.get("/api/v1/me/progress").get_json()["courses"][0]
    assert progress["lessons_done"] == 1
    assert api.post(LESSON + "/complete").status_code == 200
    assert api.get("/api/v1/me/progress").get_json()["courses"][0]["lessons_done"] == 1
    detail = api.get("/api/v1/courses/mau").get_json()
    assert detail["modules"][0]["lessons"][0]["completed"] is True


def test_completing_an_unknown_lesson_creates_no_guest(api):
    response = api.post("/api/v1/courses/mau/modules/bat-dau/lessons/khong-co/complete")
    assert response.status_code == 404
    assert api.get_cookie("hs_guest") is None


def test_a_module_without_a_quiz_completes_when_its_lessons_are_read(api, db):
    from sqlalchemy import delete, select

    from lms.courses.models import Module
    from lms.quizzes.models import Option, Question, Quiz

    module = db.scalar(select(Module).where(Module.slug == "bat-dau"))
    quiz = db.scalar(select(Quiz).where(Quiz.module_id == module.id))
    question_ids = select(Question.id).where(Question.quiz_id == quiz.id)
    db.execute(delete(Option).where(Option.question_id.in_(question_ids)))
    db.execute(delete(Question).where(Question.quiz_id == quiz.id))
    db.execute(delete(Quiz).where(Quiz.id == quiz.id))
    db.expire_all()

    api.post(LESSON + "/complete")
    assert api.get("/api/v1/me/progress").get_json()["courses"][0]["modules_done"] == 0
    api.post("/api/v1/courses/mau/modules/bat-dau/lessons/dich-vu-cong/complete")

    progress = api.get("/api/v1/me/progress").get_json()["courses"][0]
    assert progress["modules_done"] == 1 and progress["lessons_done"] == 2
    assert api.get("/api/v1/courses/mau").get_json()["modules"][0]["quiz"] is None
