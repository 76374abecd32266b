"""Learner pages: home, a course with its modules, a lesson, marking a lesson read, progress."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from lms.accounts.identity import current_learner
from lms.contributions import referrals
from lms.contributions.reach import count_reached, proves_reading
from lms.courses import services
from lms.courses.models import Lesson, LessonProgress
from lms.courses.reading import ReadingOrder, Stop, reading_order
from lms.db import session, utcnow
from lms.hosts import public_base_url
from lms.i18n import vi, with_values
from lms.limits import limiter
from lms.qr import qr_svg
from lms.reports import featured
from lms.reports.periods import vietnam_day
from lms.web import shared_page

bp = Blueprint("courses", __name__, template_folder="templates")

TRACK_NAMES = {
    "citizen": lazy_gettext("Người dân"),
    "member": lazy_gettext("Thành viên Tổ công nghệ số"),
    "official": lazy_gettext("Cán bộ"),
}


def lesson_url(lesson: Lesson, **extra) -> str:
    module = lesson.module
    return url_for(
        "courses.lesson",
        course_slug=module.course.slug,
        module_slug=module.slug,
        lesson_slug=lesson.slug,
        **extra,
    )


def _featured(db):
    """The featured topic: this month's (set by the admin), else FEATURED_MODULE
    ("course/module"), else the first citizen module."""
    module = featured.module_for(db, vietnam_day(utcnow()))
    wanted = current_app.config.get("FEATURED_MODULE") or ""
    course_slug, _sep, module_slug = wanted.partition("/")
    if module is None and module_slug:
        module = services.find_module(db, course_slug, module_slug)
    if module is None:
        listings = [c for c in services.list_courses(db) if c.course.track == "citizen"]
        modules = services.active_modules(listings[0].course) if listings else []
        module = modules[0] if modules else None
    lessons = services.active_lessons(module) if module else []
    if not lessons:
        return None
    return {
        "title": module.title,
        "summary": module.summary,
        "course_title": module.course.title,
        "lesson_count": len(lessons),
        "url": lesson_url(lessons[0]),
    }


@bp.get("/")
def home():
    db = session()
    learner = current_learner(create=False)
    return render_template(
        "courses/home.html",
        courses=services.progress_summary(db, learner),
        featured=_featured(db),
        track_names=TRACK_NAMES,
    )


@bp.get("/courses/<course_slug>")
def course(course_slug):
    db = session()
    found = services.get_course(db, course_slug)
    if found is None:
        abort(404)
    outline = services.course_outline(db, found, current_learner(create=False))
    lessons = [item for module in outline.modules for item in module.lessons]
    return render_template(
        "courses/course.html",
        outline=outline,
        lessons_done=sum(item.completed for item in lessons),
        lesson_count=len(lessons),
        lesson_url=lesson_url,
    )


def _is_done(db, learner, lesson: Lesson) -> bool:
    if learner is None:
        return False
    query = select(LessonProgress.id).where(
        LessonProgress.user_id == learner.id, LessonProgress.lesson_id == lesson.id
    )
    return db.scalar(query) is not None


def stop_url(order: ReadingOrder, stop: Stop | None, **extra) -> str | None:
    if stop is None:
        return None
    return url_for(
        "courses.lesson",
        course_slug=order.course_slug,
        module_slug=stop.module_slug,
        lesson_slug=stop.slug,
        **extra,
    )


def _share_ref() -> dict:
    """A team member's share links count the learners they bring for the team."""
    if current_user.is_authenticated and current_user.team_id:
        return {"ref": referrals.member_code(current_user)}
    return {}


@bp.get("/courses/<course_slug>/modules/<module_slug>/lessons/<lesson_slug>")
@limiter.exempt
def lesson(course_slug, module_slug, lesson_slug):
    return shared_page(lambda: _lesson_page(course_slug, module_slug, lesson_slug))


def _lesson_page(course_slug, module_slug, lesson_slug) -> str:
    db = session()
    found = services.find_lesson(db, course_slug, module_slug, lesson_slug)
    order = reading_order(db, course_slug, found) if found is not None else None
    if order is None:
        abort(404)
    stop = order.stop(found.id)
    previous, following = order.neighbours(found.id)
    quiz_id = order.quiz_ids.get(stop.module_id)
    share_url = public_base_url() + stop_url(order, stop, **_share_ref())
    return render_template(
        "courses/lesson.html",
        lesson=found,
        order=order,
        stop=stop,
        module_lesson_count=order.module_sizes[stop.module_id],
        done=_is_done(db, current_learner(create=False), found),
        previous_url=stop_url(order, previous),
        next_url=stop_url(order, following),
        quiz_url=url_for("quizzes.take", quiz_id=quiz_id) if quiz_id else None,
        share_url=share_url,
        share_qr=qr_svg(share_url, _("Mã QR mở bài học %(title)s", title=found.title)),
    )


@bp.post("/courses/<course_slug>/modules/<module_slug>/lessons/<lesson_slug>/done")
def lesson_done(course_slug, module_slug, lesson_slug):
    db = session()
    found = services.find_lesson(db, course_slug, module_slug, lesson_slug)
    if found is None:
        abort(404)
    learner = current_learner(create=True)  # first: a refused new guest spends no proof
    proved = proves_reading(request.form.get("read_token"), found.id)
    services.record_lesson_done(db, learner, found)
    if proved:
        count_reached(db, learner)
    db.commit()
    flash(with_values(_("Đã ghi nhận: bạn đã học bài “%(title)s”."), title=vi(found.title)), "ok")
    order = reading_order(db, course_slug, found)
    _previous, following = order.neighbours(found.id)
    onward = request.form.get("go") == "next"  # "Bài sau": read, then the next lesson
    if following is not None and (onward or following.module_id == found.module_id):
        return redirect(stop_url(order, following))
    return redirect(stop_url(order, order.stop(found.id)))


@bp.get("/me/progress")
def my_progress():
    db = session()
    learner = current_learner(create=False)
    return render_template(
        "courses/progress.html",
        summaries=services.progress_summary(db, learner),
        learner=learner,
    )
