"""The content checker on broken copies of the sample course (no app, no database)."""

import shutil
import unicodedata

import pytest

from lms.content.links import is_official_link
from lms.content.loader import load_content
from tests.conftest import SAMPLE_CONTENT

LESSON = "mau/bat-dau/chao-mung.md"
QUIZ = "mau/an-toan/quiz.toml"


@pytest.fixture
def root(tmp_path):
    path = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, path)
    return path


def _edit(root, name, old, new):
    file = root / name
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(root):
    return [str(error) for error in load_content(root)[1]]


def test_the_sample_course_is_valid(root):
    courses, errors = load_content(root)
    assert errors == []
    assert courses[0].modules[0].lessons[0].word_count > 5


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (LESSON, "minutes = 2", "", "content/mau/bat-dau/chao-mung.md: minutes: thiếu"),
        (LESSON, "sources = [19]", "sources = [999]", "nguồn 999 không có"),
        (
            LESSON,
            "https://dichvucong.gov.vn",
            "https://example.com",
            "chỉ được liên kết https tới tên miền chính thức",
        ),
        (LESSON, '!!! ghi-nho "Ghi nhớ"', '!!! meo "Mẹo"', "thiếu ô '!!! ghi-nho'"),
        (LESSON, '!!! ghi-nho "Ghi nhớ"', '!!! la "Lạ"', "không có loại ô này"),
        (LESSON, "+++\ntitle", "title", "thiếu phần đầu TOML"),
        (
            QUIZ,
            'explanation = "Mã OTP chỉ dành cho bạn."\n',
            "",
            "questions[1] (id 'otp').explanation: thiếu",
        ),
        (
            QUIZ,
            '{ text = "Nhân viên ngân hàng", correct = false }',
            '{ text = "Nhân viên ngân hàng", correct = true }',
            "đúng 1 đáp án đúng",
        ),
        (
            QUIZ,
            '{ text = "Gửi đường link lạ", correct = true }',
            '{ text = "Gửi đường link lạ", correct = false }',
            "ít nhất 2 đúng và 1 sai",
        ),
        (
            QUIZ,
            '{ text = "Sai", correct = false }',
            '{ text = "Sai", correct = true }',
            "câu 'true_false' cần",
        ),
        (QUIZ, 'id = "vneid"', 'id = "otp"', "id 'otp' bị trùng"),
        (QUIZ, "draw = 2", "draw = 9", "số câu rút mỗi lần phải từ 2 đến 3"),
        (QUIZ, "pass_percent = 60", "pass_percent = 40", "pass_percent: phải từ 50 đến 100"),
        (QUIZ, 'kind = "multiple"', 'kind = "essay"', "kind: phải là một trong"),
    ],
)
def test_each_broken_rule_is_named_with_file_and_place(root, name, old, new, expected):
    _edit(root, name, old, new)
    errors = _errors(root)
    assert any(expected in error for error in errors), errors


def test_word_count_limits(root):
    _edit(root, LESSON, "Tổ công nghệ số", "Tổ công nghệ số " + "rất " * 300)
    assert any("từ, cần từ 5 đến 200" in e for e in _errors(root))


def test_text_not_in_nfc_is_refused(root):
    decomposed = unicodedata.normalize("NFD", "Chào mừng")
    _edit(root, LESSON, 'title = "Chào mừng"', f'title = "{decomposed}"')
    assert any("chưa chuẩn hoá Unicode NFC" in e and "title" in e for e in _errors(root))


def test_a_bank_smaller_than_the_track_minimum_is_refused(root):
    quiz = root / QUIZ
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(text.split('[[questions]]\nid = "dau-hieu"')[0], encoding="utf-8")
    assert any("có 2 câu hỏi, cần ít nhất 3" in e for e in _errors(root))


def test_a_non_slug_file_name_is_refused(root):
    (root / LESSON).rename(root / "mau/bat-dau/Chào.md")
    assert any("tên phải là slug" in e for e in _errors(root))


def test_raw_html_is_removed(root):
    _edit(root, LESSON, "Mở điện thoại.", "Mở <script>alert(1)</script><b onclick='x'>máy</b>.")
    courses, errors = load_content(root)
    html = courses[0].modules[0].lessons[0].html
    assert "<script" not in html and "onclick" not in html and "alert" not in html


BYPASSES = [
    "https://evil.example\\@dichvucong.gov.vn/",
    "https://evil.example@dichvucong.gov.vn/",
    "https://user:pw@dichvucong.gov.vn/",
    "https://@dichvucong.gov.vn/",
    "https://dichvucong.gov.vn\\.evil.example/",
    "https://evil.example\\dichvucong.gov.vn",
    "https://evil.example%2Fdichvucong.gov.vn/",
    "https://dichvucong.gov.vn%2eevil.example/",
    "https://evil.example%09.dichvucong.gov.vn/",
    "https://evil.example\t.dichvucong.gov.vn/",
    "https://evil.example\n.dichvucong.gov.vn/",
    "https://evil.example .dichvucong.gov.vn/",
    "https://dichvucong.gov.vn\u200b.evil.example/",
    "https://dichvucong.gov.vn\u202e/",
    "https://dichvucong.gov.vn\x00/",
    "https:dichvucong.gov.vn",
    "https:///dichvucong.gov.vn",
    "http://dichvucong.gov.vn/",
    "https://notdichvucong.gov.vn/",
    "https://dichvucong.gov.vn.evil.example/",
    "https://%2Edichvucong.gov.vn",  # urllib's host is not the one a browser decodes
    "https://evil%2Eexample%2Fdichvucong.gov.vn/",
]


@pytest.mark.parametrize("href", BYPASSES)
def test_a_link_is_refused_unless_a_browser_would_visit_an_official_host(href):
    """urllib reads the host of the first one as dichvucong.gov.vn; a browser (WHATWG URL)
    visits evil.example. Backslashes, userinfo, escapes, whitespace and invisible or control
    characters are refused outright."""
    assert not is_official_link(href, ("dichvucong.gov.vn",))


@pytest.mark.parametrize(
    "href",
    [
        "https://dichvucong.gov.vn/",
        "https://DichVuCong.gov.vn/thu-tuc?ma=1#buoc-2",
        "https://www.dichvucong.gov.vn/@trang",
        "https://dichvucong.gov.vn:443/a?email=a@b.vn",
    ],
)
def test_plain_official_links_pass(root, href):
    assert is_official_link(href, ("dichvucong.gov.vn",))
    _edit(root, LESSON, "https://dichvucong.gov.vn", href)
    assert _errors(root) == []


def test_the_checker_refuses_a_backslash_userinfo_link_in_a_lesson(root):
    """The report's example, as written in Markdown: `lms content check` names the link."""
    _edit(
        root, LESSON, "(https://dichvucong.gov.vn)", "(https://evil.example\\@dichvucong.gov.vn/)"
    )
    assert _errors(root) == [
        "content/mau/bat-dau/chao-mung.md: liên kết 'https://evil.example\\\\@dichvucong.gov.vn/': "
        "chỉ được liên kết https tới tên miền chính thức trong rules.toml (allowed_link_domains)"
    ]
