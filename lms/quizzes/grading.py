"""Drawing questions from a bank and grading answers, as plain functions over dataclasses."""

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BankOption:
    id: int
    text: str
    correct: bool
    explanation: str = ""


@dataclass(frozen=True)
class BankQuestion:
    id: int
    kind: str
    text: str
    options: tuple[BankOption, ...]
    explanation: str = ""

    @property
    def correct_option_ids(self) -> frozenset[int]:
        return frozenset(option.id for option in self.options if option.correct)


@dataclass(frozen=True)
class DrawnQuestion:
    """A question as one attempt shows it: its options in the order drawn."""

    question_id: int
    option_ids: tuple[int, ...]

    def to_json(self) -> dict:
        return {"question_id": self.question_id, "option_ids": list(self.option_ids)}

    @classmethod
    def from_json(cls, data: Mapping) -> "DrawnQuestion":
        return cls(int(data["question_id"]), tuple(int(i) for i in data["option_ids"]))


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    correct: bool
    chosen_option_ids: tuple[int, ...]
    correct_option_ids: tuple[int, ...]
    explanation: str
    option_notes: dict[int, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "question_id": self.question_id,
            "correct": self.correct,
            "chosen_option_ids": list(self.chosen_option_ids),
            "correct_option_ids": list(self.correct_option_ids),
            "explanation": self.explanation,
            "option_notes": {str(k): v for k, v in self.option_notes.items()},
        }


@dataclass(frozen=True)
class Grade:
    results: tuple[QuestionResult, ...]
    score_percent: int
    passed: bool


# True/false options keep their written order ("Đúng" before "Sai").
FIXED_ORDER_KINDS = frozenset({"true_false"})


def draw(bank: Sequence[BankQuestion], count: int, rng: random.Random) -> list[DrawnQuestion]:
    """Pick `count` questions (all when the bank is smaller) and shuffle each one's options."""
    picked = rng.sample(list(bank), min(max(count, 0), len(bank)))
    drawn = []
    for question in picked:
        option_ids = [option.id for option in question.options]
        if question.kind not in FIXED_ORDER_KINDS:
            rng.shuffle(option_ids)
        drawn.append(DrawnQuestion(question.id, tuple(option_ids)))
    return drawn


def grade_question(question: BankQuestion, shown: DrawnQuestion, chosen: Collection[int]):
    """A question is right when exactly its correct options (among those shown) are chosen."""
    correct_ids = tuple(i for i in shown.option_ids if i in question.correct_option_ids)
    chosen_ids = tuple(i for i in shown.option_ids if i in set(chosen))
    notes = {
        option.id: option.explanation
        for option in question.options
        if option.id in chosen_ids and option.explanation
    }
    return QuestionResult(
        question_id=question.id,
        correct=bool(chosen_ids) and set(chosen_ids) == set(correct_ids),
        chosen_option_ids=chosen_ids,
        correct_option_ids=correct_ids,
        explanation=question.explanation,
        option_notes=notes,
    )


def grade(
    layout: Sequence[DrawnQuestion],
    bank: Mapping[int, BankQuestion],
    answers: Mapping[int, Collection[int]],
    pass_percent: int,
) -> Grade:
    """Grade every drawn question; unanswered ones count as wrong."""
    results = tuple(
        grade_question(bank[shown.question_id], shown, answers.get(shown.question_id, ()))
        for shown in layout
    )
    right = sum(result.correct for result in results)
    total = len(results)
    score = right * 100 // total if total else 0
    passed = total > 0 and right * 100 >= pass_percent * total
    return Grade(results=results, score_percent=score, passed=passed)


def feedback(results: Sequence[Mapping], reveal_key: bool) -> list[dict]:
    """What a learner is shown of a graded attempt: each question right or wrong, its
    explanation and the notes on the options they chose; the correct options only with
    reveal_key (after a pass), so that retrying does not harvest the answer key."""
    if reveal_key:
        return [dict(item) for item in results]
    return [{k: v for k, v in item.items() if k != "correct_option_ids"} for item in results]
