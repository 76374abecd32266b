"""The shipped courses pass every rule; broken copies of them fail, naming file and reason."""

import shutil
from pathlib import Path

import pytest

from lms.content.loader import load_content

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def courses():
    courses, errors = load_content(CONTENT)
    assert [str(e) for e in errors] == []
    return {course.track: course for course in courses}


def test_three_courses_with_the_required_modules(courses):
    assert len(courses["citizen"].modules) == 12
    assert len(courses["member"].modules) >= 16
    assert len(courses["official"].modules) >= 5


def test_citizen_lessons_are_micro_lessons_with_a_remember_box(courses):
    for module in courses["citizen"].modules:
        assert 2 <= len(module.lessons) <= 4, module.slug
        assert len(module.quiz.questions) >= 10 and module.quiz.draw >= 5
        assert module.quiz.pass_percent == 80
        for lesson in module.lessons:
            assert 120 <= lesson.word_count <= 350, lesson.slug
            assert 2 <= lesson.minutes <= 4, lesson.slug
            assert "ghi-nho" in lesson.boxes, lesson.slug


def test_member_banks_have_at_least_twelve_questions(courses):
    for module in courses["member"].modules:
        assert len(module.quiz.questions) >= 12, module.slug


def test_the_member_course_covers_the_twelve_citizen_topics(courses):
    citizen = {m.slug for m in courses["citizen"].modules}
    member = {m.slug for m in courses["member"].modules}
    assert citizen <= member


@pytest.fixture
def copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def _first_lesson(root, course):
    return sorted((root / course).glob("*/*.md"))[0]


@pytest.mark.parametrize(
    ("course", "breakage", "expected"),
    [
        ("nguoi-dan", lambda text: text + "\n" + "thêm " * 400, "từ, cần từ 120 đến 350"),
        ("nguoi-dan", lambda text: text.replace("!!! ghi-nho", "!!! meo"), "thiếu ô '!!! ghi-nho'"),
        (
            "thanh-vien",
            lambda text: text + "\n[Trang lạ](https://vi-du.example)\n",
            "chỉ được liên kết https tới tên miền chính thức",
        ),
        (
            "can-bo",
            lambda text: text.replace("sources = [", "sources = [9999, ", 1),
            "nguồn 9999 không có trong content/sources.toml",
        ),
    ],
)
def test_broken_copies_of_real_lessons_fail(copy, course, breakage, expected):
    lesson = _first_lesson(copy, course)
    lesson.write_text(breakage(lesson.read_text(encoding="utf-8")), encoding="utf-8")
    errors = [str(e) for e in load_content(copy)[1]]
    assert any(str(lesson.relative_to(copy.parent)) in e and expected in e for e in errors), errors


def test_a_real_bank_with_too_few_questions_fails(copy):
    quiz = sorted((copy / "thanh-vien").glob("*/quiz.toml"))[0]
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text("[[questions]]".join(text.split("[[questions]]")[:4]), encoding="utf-8")
    errors = [str(e) for e in load_content(copy)[1]]
    assert any("quiz.toml: questions: có 3 câu hỏi, cần ít nhất 12" in e for e in errors), errors
