import random

from hypothesis import given
from hypothesis import strategies as st

from lms.quizzes.grading import (
    BankOption,
    BankQuestion,
    DrawnQuestion,
    draw,
    grade,
)


def _question(qid, kind="single", correct=(0,), n_options=3, explanation="Vì vậy."):
    options = tuple(
        BankOption(id=qid * 10 + i, text=f"Lựa chọn {i}", correct=i in correct)
        for i in range(n_options)
    )
    return BankQuestion(
        id=qid, kind=kind, text=f"Câu {qid}", options=options, explanation=explanation
    )


BANK = [
    _question(1),
    _question(2, kind="multiple", correct=(0, 2)),
    _question(3, kind="true_false", correct=(1,), n_options=2),
    _question(4),
    _question(5),
]
BY_ID = {q.id: q for q in BANK}


def test_draw_picks_distinct_questions_from_the_bank():
    drawn = draw(BANK, 3, random.Random(7))
    ids = [d.question_id for d in drawn]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert set(ids) <= set(BY_ID)
    for d in drawn:
        assert sorted(d.option_ids) == sorted(o.id for o in BY_ID[d.question_id].options)


def test_draw_takes_the_whole_bank_when_asked_for_more():
    drawn = draw(BANK, 50, random.Random(1))
    assert sorted(d.question_id for d in drawn) == [1, 2, 3, 4, 5]


def test_draw_is_reproducible_with_the_same_seed_and_varies_otherwise():
    assert draw(BANK, 3, random.Random(42)) == draw(BANK, 3, random.Random(42))
    layouts = {tuple(draw(BANK, 3, random.Random(seed))) for seed in range(30)}
    assert len(layouts) > 1


def test_draw_shuffles_option_order_but_keeps_true_false_order():
    orders = set()
    for seed in range(40):
        for d in draw(BANK, 5, random.Random(seed)):
            if d.question_id == 1:
                orders.add(d.option_ids)
            if d.question_id == 3:
                assert d.option_ids == (30, 31)
    assert len(orders) > 1


def test_layout_round_trips_through_json():
    shown = DrawnQuestion(2, (22, 20, 21))
    assert DrawnQuestion.from_json(shown.to_json()) == shown


def _layout(*qids):
    return [DrawnQuestion(q, tuple(o.id for o in BY_ID[q].options)) for q in qids]


def test_all_right_passes_with_100():
    result = grade(_layout(1, 2, 3), BY_ID, {1: [10], 2: [20, 22], 3: [31]}, 80)
    assert result.score_percent == 100 and result.passed
    assert [r.correct for r in result.results] == [True, True, True]


def test_multiple_choice_needs_exactly_the_correct_set():
    partial = grade(_layout(2), BY_ID, {2: [20]}, 80)
    extra = grade(_layout(2), BY_ID, {2: [20, 21, 22]}, 80)
    assert not partial.results[0].correct and not extra.results[0].correct
    assert partial.results[0].correct_option_ids == (20, 22)


def test_unanswered_questions_count_as_wrong():
    result = grade(_layout(1, 4, 5), BY_ID, {1: [10]}, 60)
    assert result.score_percent == 33 and not result.passed
    assert [r.correct for r in result.results] == [True, False, False]
    assert result.results[1].chosen_option_ids == ()


def test_pass_mark_is_compared_exactly_not_after_rounding():
    # 2 of 3 is 66.67 %: shown as 66, fails a 67 % mark, passes a 66 % mark.
    answers = {1: [10], 4: [40], 5: [51]}
    assert grade(_layout(1, 4, 5), BY_ID, answers, 67).passed is False
    assert grade(_layout(1, 4, 5), BY_ID, answers, 66).passed is True
    assert grade(_layout(1, 4, 5), BY_ID, answers, 66).score_percent == 66


def test_results_carry_explanations_and_notes_of_chosen_options():
    question = BankQuestion(
        id=9,
        kind="single",
        text="OTP?",
        explanation="Mã OTP chỉ dành cho bạn.",
        options=(
            BankOption(90, "Chỉ mình bạn", True),
            BankOption(91, "Người thân qua Zalo", False, "Tài khoản Zalo có thể bị chiếm."),
        ),
    )
    result = grade([DrawnQuestion(9, (91, 90))], {9: question}, {9: [91]}, 80)
    (item,) = result.results
    assert item.explanation == "Mã OTP chỉ dành cho bạn."
    assert item.option_notes == {91: "Tài khoản Zalo có thể bị chiếm."}
    assert item.to_json()["option_notes"] == {"91": "Tài khoản Zalo có thể bị chiếm."}


def test_an_empty_layout_never_passes():
    assert grade([], BY_ID, {}, 0).passed is False


@given(st.lists(st.booleans(), min_size=1, max_size=20), st.integers(0, 100))
def test_score_and_pass_agree(rights, pass_percent):
    bank = {i: _question(i) for i in range(1, len(rights) + 1)}
    layout = [DrawnQuestion(q.id, tuple(o.id for o in q.options)) for q in bank.values()]
    answers = {
        qid: [qid * 10 if ok else qid * 10 + 1] for qid, ok in zip(bank, rights, strict=True)
    }
    result = grade(layout, bank, answers, pass_percent)
    assert result.score_percent == sum(rights) * 100 // len(rights)
    assert result.passed == (sum(rights) / len(rights) * 100 >= pass_percent - 1e-9)
    assert result.passed == (result.score_percent >= pass_percent)
