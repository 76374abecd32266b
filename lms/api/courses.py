"""Courses, modules and lessons; marking a lesson read."""

from flask import jsonify, request
from flask_babel import gettext as _

from lms.accounts.identity import current_learner
from lms.api.blueprint import bp
from lms.api.errors import ApiError
from lms.api.openapi import errors, json_content, ok, operation, path_params, ref
from lms.contributions.reach import count_reached, proves_reading, reading_proof
from lms.courses import services
from lms.db import session


def _not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


@bp.get("/courses")
def list_courses():
    listings = services.list_courses(session())
    return jsonify(
        courses=[
            {
                "slug": item.course.slug,
                "title": item.course.title,
                "track": item.course.track,
                "summary": item.course.summary,
                "modules": item.module_count,
                "lessons": item.lesson_count,
            }
            for item in listings
        ]
    )


def _module_json(outline) -> dict:
    quiz = outline.quiz
    return {
        "slug": outline.module.slug,
        "title": outline.module.title,
        "lessons": [
            {
                "slug": item.lesson.slug,
                "title": item.lesson.title,
                "minutes": item.lesson.minutes,
                "completed": item.completed,
            }
            for item in outline.lessons
        ],
        "quiz": quiz
        and {
            "id": quiz.id,
            "questions_per_attempt": quiz.draw_count,
            "pass_percent": quiz.pass_percent,
        },
        "completed": outline.completed,
    }


@bp.get("/courses/<course>")
def course_detail(course: str):
    db = session()
    found = services.get_course(db, course)
    if found is None:
        raise _not_found(_("Không tìm thấy khoá học."))
    outline = services.course_outline(db, found, current_learner())
    return jsonify(
        slug=found.slug,
        title=found.title,
        track=found.track,
        summary=found.summary,
        modules=[_module_json(module) for module in outline.modules],
    )


def _find_lesson(course: str, module: str, lesson: str):
    found = services.find_lesson(session(), course, module, lesson)
    if found is None:
        raise _not_found(_("Không tìm thấy bài học."))
    return found


def _link(lesson) -> dict | None:
    if lesson is None:
        return None
    return {"module": lesson.module.slug, "lesson": lesson.slug, "title": lesson.title}


@bp.get("/courses/<course>/modules/<module>/lessons/<lesson>")
def lesson_detail(course: str, module: str, lesson: str):
    found = _find_lesson(course, module, lesson)
    previous, following = services.lesson_neighbours(found)
    return jsonify(
        slug=found.slug,
        title=found.title,
        html=found.html,
        minutes=found.minutes,
        sources=list(found.sources or []),
        previous=_link(previous),
        next=_link(following),
        read_token=reading_proof(found.id),
    )


@bp.post("/courses/<course>/modules/<module>/lessons/<lesson>/complete")
def complete_lesson(course: str, module: str, lesson: str):
    found = _find_lesson(course, module, lesson)
    body = request.get_json(silent=True) if request.content_length else None
    proved = isinstance(body, dict) and proves_reading(body.get("read_token"), found.id)
    db = session()
    learner = current_learner(create=True)
    services.record_lesson_done(db, learner, found)
    if proved:
        count_reached(db, learner)
    db.commit()
    return jsonify(completed=True)


LESSON_LINK = {
    "type": ["object", "null"],
    "properties": {
        "module": {"type": "string"},
        "lesson": {"type": "string"},
        "title": {"type": "string"},
    },
}
SCHEMAS = {
    "CourseList": {
        "type": "object",
        "properties": {
            "courses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "track": {"type": "string", "enum": ["citizen", "member", "official"]},
                        "summary": {"type": "string"},
                        "modules": {"type": "integer"},
                        "lessons": {"type": "integer"},
                    },
                },
            }
        },
    },
    "Course": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "track": {"type": "string"},
            "summary": {"type": "string"},
            "modules": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "lessons": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "slug": {"type": "string"},
                                    "title": {"type": "string"},
                                    "minutes": {"type": "integer"},
                                    "completed": {"type": "boolean"},
                                },
                            },
                        },
                        "quiz": {
                            "type": ["object", "null"],
                            "properties": {
                                "id": {"type": "integer"},
                                "questions_per_attempt": {"type": "integer"},
                                "pass_percent": {"type": "integer"},
                            },
                        },
                        "completed": {"type": "boolean"},
                    },
                },
            },
        },
    },
    "Lesson": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "html": {"type": "string", "description": "HTML đã làm sạch"},
            "minutes": {"type": "integer"},
            "sources": {"type": "array", "items": {"type": "integer"}},
            "previous": LESSON_LINK,
            "next": LESSON_LINK,
            "read_token": {
                "type": "string",
                "description": "Gửi lại khi đánh dấu đã học: chứng minh đã mở bài ít nhất "
                "READING_PROOF_SECONDS giây (dùng một lần)",
            },
        },
    },
    "LessonDone": {
        "type": "object",
        "properties": {"read_token": {"type": "string"}},
    },
}

_LESSON = "/courses/{course}/modules/{module}/lessons/{lesson}"
PATHS = {
    "/courses": {
        "get": operation(
            "Danh sách khoá học", "courses", {"200": ok("Các khoá học", ref("CourseList"))}
        )
    },
    "/courses/{course}": {
        "get": operation(
            "Một khoá học: học phần, bài học, bài kiểm tra và phần đã xong",
            "courses",
            {"200": ok("Khoá học", ref("Course")), **errors(404)},
            parameters=path_params("course"),
        )
    },
    _LESSON: {
        "get": operation(
            "Một bài học",
            "courses",
            {"200": ok("Bài học", ref("Lesson")), **errors(404)},
            parameters=path_params("course", "module", "lesson"),
        )
    },
    _LESSON + "/complete": {
        "post": operation(
            "Đánh dấu đã học xong bài (khách cũng được: tạo cookie khách; mỗi địa chỉ "
            "chỉ tạo được GUEST_CREATION_LIMIT khách mới). Gửi kèm read_token của bài để "
            "người được giới thiệu được tính là người dân tiếp cận",
            "courses",
            {
                "200": ok(
                    "Đã ghi nhận",
                    {"type": "object", "properties": {"completed": {"const": True}}},
                ),
                **errors(404, 429),
            },
            parameters=path_params("course", "module", "lesson"),
            requestBody={"required": False, "content": json_content(ref("LessonDone"))},
        )
    },
}
