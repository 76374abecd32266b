"""The reader the English pages test relies on: what counts as Vietnamese, and what a page
shows once the parts marked lang="vi" are left out."""

import pytest

from lms.i18n import vi, with_values
from tests.english_support import is_vietnamese, vietnamese_in_html


@pytest.mark.parametrize(
    "text",
    ["Tôn vinh", "Đã lưu", "ăn", "sắc", "huyền", "hỏi", "ngã", "nặng", "ƯU", "Chỉ tiêu", "Lọc"],
)
def test_vietnamese_letters_are_found(text):
    assert is_vietnamese(text)


def test_decomposed_marks_are_found_too():
    assert is_vietnamese("Te\u0302n")  # "Tên" typed as e + combining circumflex


@pytest.mark.parametrize("text", ["Reports", "Completion (%)", "Honours — 12/2026", "Mau", ""])
def test_english_is_not_vietnamese(text):
    assert not is_vietnamese(text)


def page(body: str, lang: str = "en", title: str = "Reports") -> str:
    head = f"<head><title>{title}</title></head>"
    return f'<!doctype html><html lang="{lang}">{head}<body>{body}</body></html>'


def test_text_outside_lang_vi_is_reported():
    assert vietnamese_in_html(page("<p>Báo cáo</p><p lang='vi'>Thôn A</p>")) == ["Báo cáo"]


def test_everything_inside_lang_vi_is_left_out_even_after_void_elements():
    body = '<div lang="vi"><p>Chào mừng<br><img src="x">bạn</p><input value="Gửi"></div><p>Done</p>'
    assert vietnamese_in_html(page(body)) == []


def test_text_after_a_lang_vi_element_is_read_again():
    body = '<p><span lang="vi">Xã Một</span> · Số liệu</p>'
    assert vietnamese_in_html(page(body)) == ["· Số liệu"]


def test_read_attributes_count_and_names_marked_on_the_page_are_taken_out():
    body = '<h1 lang="vi">Thôn A</h1><img alt="QR code of Thôn A"><a title="Mở">x</a>'
    assert vietnamese_in_html(page(body, title="Thôn A · Học Số")) == ["Mở"]


def test_a_title_naming_what_the_page_does_not_mark_is_reported():
    assert vietnamese_in_html(page("<p>x</p>", title="Tôn vinh · Học Số")) == ["Tôn vinh · Học Số"]


def test_scripts_are_not_read_and_the_page_must_say_it_is_english():
    assert vietnamese_in_html(page("<script>var a = 'Đã';</script>", lang="vi")) == [
        '<html lang="vi">'
    ]


def test_vi_marks_and_escapes_a_name():
    assert str(vi("<Thôn A>")) == '<span lang="vi">&lt;Thôn A&gt;</span>'


def test_with_values_escapes_plain_values_and_keeps_marked_ones():
    message = with_values("%(a)s and %(b)s: 10%%", a="<b>", b=vi("Xã"))
    assert str(message) == '&lt;b&gt; and <span lang="vi">Xã</span>: 10%'
