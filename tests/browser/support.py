"""Helpers for browser tests: answering a quiz rightly or wrongly, unique people."""

import itertools

from sqlalchemy import select

from lms.quizzes.models import Option

_numbers = itertools.count(1)
# The voices a phone offers for reading aloud, set before any page script runs.
VOICES = "Object.defineProperty(speechSynthesis, 'getVoices', {value: () => %s});"
VIETNAMESE_VOICE = VOICES % "[{lang: 'vi-VN', name: 'Tiếng Việt', default: true}]"
NO_VOICE = VOICES % "[]"


def unique_phone() -> str:
    return f"09{next(_numbers) + 10_000_000:08d}"


def answer_quiz(page, live, right: bool) -> None:
    """Tick, for every question on the page, its correct options (or one wrong option)."""
    inputs = page.eval_on_selector_all(
        "input[name^=q]", "els => els.map(e => [e.name, Number(e.value)])"
    )
    with live.db() as db:
        correct = {
            option.id: option.correct
            for option in db.scalars(select(Option).where(Option.id.in_([v for _, v in inputs])))
        }
    chosen = {}
    for name, option_id in inputs:
        if correct[option_id] == right and (right or name not in chosen):
            chosen.setdefault(name, []).append(option_id)
    for name, option_ids in chosen.items():
        for option_id in option_ids:
            page.check(f'input[name="{name}"][value="{option_id}"]')
    page.get_by_role("button", name="Nộp bài").click()
