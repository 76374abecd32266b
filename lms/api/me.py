"""The learner's own progress: signed in, a guest, or nobody yet (all zeros)."""

from flask import jsonify

from lms.accounts.identity import current_learner
from lms.api.blueprint import bp
from lms.api.openapi import ok, operation, ref
from lms.courses.services import progress_summary
from lms.db import session


@bp.get("/me/progress")
def my_progress():
    summary = progress_summary(session(), current_learner())
    return jsonify(
        courses=[
            {
                "slug": item.course.slug,
                "completed": item.completed,
                "lessons_done": item.lessons_done,
                "lessons_total": item.lessons_total,
                "modules_done": item.modules_done,
                "modules_total": item.modules_total,
            }
            for item in summary
        ]
    )


SCHEMAS = {
    "Progress": {
        "type": "object",
        "properties": {
            "courses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": "string"},
                        "completed": {"type": "boolean"},
                        "lessons_done": {"type": "integer"},
                        "lessons_total": {"type": "integer"},
                        "modules_done": {"type": "integer"},
                        "modules_total": {"type": "integer"},
                    },
                },
            }
        },
    }
}

PATHS = {
    "/me/progress": {
        "get": operation(
            "Tiến độ của người học (đăng nhập hoặc khách; chưa có gì thì toàn số 0)",
            "me",
            {"200": ok("Tiến độ theo khoá học", ref("Progress"))},
        )
    }
}
