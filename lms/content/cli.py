"""`flask lms content check|sync`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.content.loader import load_content
from lms.content.sync import sync_courses
from lms.db import session

content_group = AppGroup("content", help="Course content in content/.")


def _load(directory: str | None):
    root = Path(directory or current_app.config["CONTENT_DIR"])
    courses, errors = load_content(root)
    if errors:
        for error in errors:
            click.echo(f"LỖI {error}", err=True)
        raise click.ClickException(f"{len(errors)} lỗi trong nội dung; không nạp gì cả.")
    return courses


@content_group.command("check")
@click.option("--dir", "directory", help="Content folder (default: content/).")
def check(directory):
    """Validate every course without touching the database."""
    courses = _load(directory)
    lessons = sum(len(m.lessons) for c in courses for m in c.modules)
    for course in courses:
        modules = course.modules
        click.echo(
            f"  {course.slug} ({course.track}): {len(modules)} mô-đun, "
            f"{sum(len(m.lessons) for m in modules)} bài học, "
            f"{sum(lesson.word_count for m in modules for lesson in m.lessons)} từ, "
            f"{sum(len(m.quiz.questions) for m in modules if m.quiz)} câu hỏi"
        )
    click.echo(f"Nội dung hợp lệ: {len(courses)} khoá học, {lessons} bài học.")


@content_group.command("sync")
@click.option("--dir", "directory", help="Content folder (default: content/).")
def sync(directory):
    """Validate, then create or update the courses in one transaction."""
    courses = _load(directory)
    db = session()
    counts = sync_courses(db, courses)
    db.commit()
    click.echo(
        f"Đã đồng bộ {counts.courses} khoá học, {counts.modules} mô-đun, {counts.lessons} bài học, "
        f"{counts.questions} câu hỏi; {counts.retired} mục ngừng sử dụng."
    )
