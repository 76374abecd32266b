"""Quizzes: drawn and graded on the server (services), shown as pages (views) and JSON."""

from flask import current_app

QUIZ_RETRY_SECONDS = 60


def retry_pause() -> int:
    """The pause between a learner's attempts at one quiz (setting QUIZ_RETRY_SECONDS)."""
    return int(current_app.config.get("QUIZ_RETRY_SECONDS", QUIZ_RETRY_SECONDS))
