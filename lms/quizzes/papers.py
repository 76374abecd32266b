"""A quiz's paper: its bank, option texts and place in the course, kept per worker.

Only a content sync changes these, and every sync gives each quiz a new revision, so a
paper is reused for as long as its quiz row names the same revision: drawing, showing and
grading an attempt need no query of the bank.
"""

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.courses.models import Course, Module
from lms.quizzes.grading import BankOption, BankQuestion
from lms.quizzes.models import Option, Question, Quiz

_CACHE_KEY = "lms.quiz_papers"


@dataclass(frozen=True)
class Paper:
    revision: str
    module_id: int
    module_slug: str
    module_title: str
    course_slug: str
    course_title: str
    questions: dict[int, BankQuestion]  # every question, retired too, with its active options
    active_ids: tuple[int, ...]  # the questions an attempt may draw, in the bank's order
    option_texts: dict[int, str]  # every option, retired too: old attempts still show them

    def active_bank(self) -> list[BankQuestion]:
        return [self.questions[i] for i in self.active_ids]


def paper(db: Session, quiz: Quiz) -> Paper:
    """The quiz's paper, from this worker's cache while the quiz keeps its revision."""
    papers = current_app.extensions.setdefault(_CACHE_KEY, {})
    kept = papers.get(quiz.id)
    if kept is None or kept.revision != quiz.revision:
        kept = papers[quiz.id] = _load(db, quiz)
    return kept


def _load(db: Session, quiz: Quiz) -> Paper:
    place = db.execute(
        select(
            Module.slug.label("module_slug"),
            Module.title.label("module_title"),
            Course.slug.label("course_slug"),
            Course.title.label("course_title"),
        )
        .join(Course, Course.id == Module.course_id)
        .where(Module.id == quiz.module_id)
    ).one()
    rows = db.execute(
        select(Question.id, Question.kind, Question.text, Question.explanation, Question.retired)
        .where(Question.quiz_id == quiz.id)
        .order_by(Question.position)
    ).all()
    options: dict[int, list[BankOption]] = defaultdict(list)
    texts = {}
    option_rows = db.execute(
        select(
            Option.question_id,
            Option.id,
            Option.text,
            Option.correct,
            Option.explanation,
            Option.retired,
        )
        .join(Question, Question.id == Option.question_id)
        .where(Question.quiz_id == quiz.id)
        .order_by(Option.question_id, Option.position)
    )
    for row in option_rows:
        texts[row.id] = row.text
        if not row.retired:
            options[row.question_id].append(
                BankOption(row.id, row.text, row.correct, row.explanation)
            )
    return Paper(
        revision=quiz.revision,
        module_id=quiz.module_id,
        **place._asdict(),
        questions={
            row.id: BankQuestion(
                row.id, row.kind, row.text, tuple(options[row.id]), row.explanation
            )
            for row in rows
        },
        active_ids=tuple(row.id for row in rows if not row.retired),
        option_texts=texts,
    )
