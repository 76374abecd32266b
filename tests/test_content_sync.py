import shutil

from sqlalchemy import func, select

from lms.content.loader import load_content
from lms.content.sync import sync_courses
from lms.courses.models import Course, Lesson, LessonProgress, Module
from lms.quizzes.models import Question
from tests.conftest import SAMPLE_CONTENT
from tests.factories import make_user


def _copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, root)
    return root


def test_sync_loads_the_sample_course(runner, db):
    result = runner.invoke(args=["lms", "content", "sync"])
    assert result.exit_code == 0, result.output
    course = db.scalar(select(Course).where(Course.slug == "mau"))
    assert course.track == "citizen"
    assert [m.slug for m in course.modules] == ["bat-dau", "an-toan"]
    lesson = course.modules[0].lessons[0]
    assert lesson.slug == "chao-mung" and lesson.minutes == 2 and lesson.sources == [19]
    assert 'href="https://dichvucong.gov.vn"' in lesson.html
    assert '<div class="admonition ghi-nho">' in lesson.html
    assert db.scalar(select(func.count()).select_from(Question)) == 6


def test_resync_is_idempotent_and_keeps_progress(runner, db):
    runner.invoke(args=["lms", "content", "sync"])
    lesson = db.scalar(select(Lesson).where(Lesson.slug == "chao-mung"))
    learner = make_user(db)
    db.add(LessonProgress(user_id=learner.id, lesson_id=lesson.id))
    db.flush()
    counts_before = [db.scalar(select(func.count()).select_from(m)) for m in (Lesson, Question)]

    result = runner.invoke(args=["lms", "content", "sync"])

    assert result.exit_code == 0, result.output
    assert [
        db.scalar(select(func.count()).select_from(m)) for m in (Lesson, Question)
    ] == counts_before
    assert db.scalar(select(LessonProgress).where(LessonProgress.user_id == learner.id))
    assert db.scalar(select(Lesson.id).where(Lesson.slug == "chao-mung")) == lesson.id


def test_a_removed_lesson_is_retired_with_its_history(runner, db, tmp_path):
    root = _copy(tmp_path)
    runner.invoke(args=["lms", "content", "sync", "--dir", str(root)])
    lesson = db.scalar(select(Lesson).where(Lesson.slug == "dich-vu-cong"))
    learner = make_user(db)
    db.add(LessonProgress(user_id=learner.id, lesson_id=lesson.id))
    db.flush()
    (root / "mau" / "bat-dau" / "dich-vu-cong.md").unlink()

    result = runner.invoke(args=["lms", "content", "sync", "--dir", str(root)])

    assert result.exit_code == 0, result.output
    db.refresh(lesson)
    assert lesson.retired is True
    assert db.scalar(select(LessonProgress).where(LessonProgress.lesson_id == lesson.id))


def test_a_malformed_file_fails_the_sync_naming_it_and_loads_nothing(runner, db, tmp_path):
    root = _copy(tmp_path)
    quiz = root / "mau" / "an-toan" / "quiz.toml"
    quiz.write_text(quiz.read_text().replace("draw = 2", "draw = [2"), encoding="utf-8")

    result = runner.invoke(args=["lms", "content", "sync", "--dir", str(root)])

    assert result.exit_code != 0
    assert "content/mau/an-toan/quiz.toml: dòng 4, cột 1: TOML không hợp lệ" in result.output
    assert "không nạp gì cả" in result.output
    assert db.scalar(select(func.count()).select_from(Course)) == 0
    assert db.scalar(select(func.count()).select_from(Module)) == 0


def test_check_runs_validation_alone(runner, db):
    result = runner.invoke(args=["lms", "content", "check"])
    assert result.exit_code == 0, result.output
    assert "1 khoá học, 3 bài học" in result.output
    assert db.scalar(select(func.count()).select_from(Course)) == 0


def test_sync_functions_compose_in_one_transaction(db):
    courses, errors = load_content(SAMPLE_CONTENT)
    assert errors == []
    counts = sync_courses(db, courses)
    assert (counts.courses, counts.modules, counts.lessons, counts.questions) == (1, 2, 3, 6)
