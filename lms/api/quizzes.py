"""Quiz attempts: drawn on the server, answered, graded on the server."""

from flask import jsonify

from lms.accounts.identity import current_learner
from lms.api.blueprint import bp
from lms.api.openapi import body, errors, ok, operation, path_params, ref
from lms.api.payload import answers_field, json_object
from lms.db import session
from lms.quizzes import retry_pause, services

ID = "int(max=2147483647)"


@bp.post(f"/quizzes/<{ID}:quiz_id>/attempts")
def start_attempt(quiz_id: int):
    db = session()
    quiz = services.get_quiz(db, quiz_id)
    learner = current_learner()
    # An open attempt is answered first (as on the page): new ones wait out the pause.
    attempt = services.open_attempt(db, learner, quiz) if learner is not None else None
    if attempt is None:
        services.check_retry(db, learner, quiz, retry_pause())
        attempt = services.start_attempt(db, current_learner(create=True), quiz)
    questions = services.shown_questions(db, attempt)
    db.commit()
    body = {
        "attempt_id": attempt.id,
        "questions": [
            {
                "id": question.id,
                "text": question.text,
                "kind": question.kind,
                "options": [{"id": option.id, "text": option.text} for option in question.options],
            }
            for question in questions
        ],
    }
    return jsonify(body), 201


@bp.post(f"/attempts/<{ID}:attempt_id>/submit")
def submit_attempt(attempt_id: int):
    answers = answers_field(json_object())
    db = session()
    attempt = services.submit_attempt(db, current_learner(), attempt_id, answers)
    results = services.learner_feedback(db, attempt)
    db.commit()
    shown = ("question_id", "correct", "correct_option_ids", "explanation")
    return jsonify(
        score_percent=attempt.score_percent,
        passed=attempt.passed,
        results=[{key: item[key] for key in shown if key in item} for item in results],
    )


SCHEMAS = {
    "AttemptStarted": {
        "type": "object",
        "description": "Câu hỏi đã rút; không có đáp án hay lời giải thích trước khi nộp.",
        "properties": {
            "attempt_id": {"type": "integer"},
            "questions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "text": {"type": "string"},
                        "kind": {"type": "string", "enum": ["single", "multiple", "true_false"]},
                        "options": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "text": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "Answers": {
        "type": "object",
        "required": ["answers"],
        "properties": {
            "answers": {
                "type": "object",
                "description": "Mã câu hỏi → các mã lựa chọn; câu bỏ trống tính là sai.",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": ["integer", "string"]},
                },
            }
        },
    },
    "AttemptResult": {
        "type": "object",
        "properties": {
            "score_percent": {"type": "integer"},
            "passed": {"type": "boolean"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "question_id": {"type": "integer"},
                        "correct": {"type": "boolean"},
                        "correct_option_ids": {
                            "type": "array",
                            "items": {"type": "integer"},
                            "description": "Chỉ có khi đã đạt bài kiểm tra (lượt này hoặc "
                            "lượt trước); khi chưa đạt, chỉ biết câu nào sai và lời giải thích.",
                        },
                        "explanation": {"type": "string"},
                    },
                },
            },
        },
    },
}

PATHS = {
    "/quizzes/{quiz_id}/attempts": {
        "post": operation(
            "Bắt đầu một lượt làm bài (khách cũng được). Giữa hai lượt của một người cần "
            "nghỉ QUIZ_RETRY_SECONDS giây (mặc định 60): sớm hơn là 429, header Retry-After "
            "cho biết số giây còn lại",
            "quizzes",
            {"201": ok("Lượt làm bài mới", ref("AttemptStarted")), **errors(404, 429)},
            parameters=path_params("quiz_id", kind="integer"),
        )
    },
    "/attempts/{attempt_id}/submit": {
        "post": operation(
            "Nộp bài; chấm trên máy chủ, chỉ một lần. Kết quả cho biết câu nào sai, kèm lời "
            "giải thích; đáp án đúng (correct_option_ids) chỉ có khi đã đạt",
            "quizzes",
            {"200": ok("Kết quả", ref("AttemptResult")), **errors(404, 409, 422)},
            parameters=path_params("attempt_id", kind="integer"),
            requestBody=body(ref("Answers")),
        )
    },
}
