"""Arbitrary TOML, Markdown and front matter in a course folder: the parser answers with
collected ContentErrors (never an exception), and a folder with any error loads nothing.
A folder without errors syncs whole."""

import shutil
import tempfile
import tomllib
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms.content.loader import load_content
from lms.content.specs import ContentError
from lms.courses.models import Course, Lesson, Module
from lms.quizzes.models import Option, Question
from tests.conftest import SAMPLE_CONTENT
from tests.property import toml_text

TOML_FILES = (
    "rules.toml",
    "sources.toml",
    "mau/course.toml",
    "mau/bat-dau/module.toml",
    "mau/bat-dau/quiz.toml",
    "mau/an-toan/module.toml",
    "mau/an-toan/quiz.toml",
)
LESSONS = ("mau/bat-dau/chao-mung.md", "mau/bat-dau/dich-vu-cong.md", "mau/an-toan/ma-otp.md")
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
NAMES = st.text(alphabet="abcdmz09-_.Ắ ", min_size=1, max_size=12).filter(
    lambda name: name not in (".", "..")
)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-3, max_value=120),
    st.floats(),
    st.text(max_size=30),
    st.text(max_size=400).map(lambda text: text * 2),
    st.sampled_from(["ghi-nho", "single", "multiple", "true_false", "Đúng", "Sai", "citizen"]),
    st.dates(),
    st.datetimes(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
MARKDOWN = st.lists(
    st.one_of(
        st.sampled_from(
            ["\n", " ", "!!! ", "    ", "[a](", ")", "https://", "http://x.vn", "<b>", "#", "*"]
        ),
        st.sampled_from(
            ["ghi-nho", "meo", "la", "dichvucong.gov.vn", "+++", "\x00", "é", "\u0301"]
        ),
        st.characters(),
    ),
    max_size=40,
).map("".join)


def _paths(data, prefix=()):
    """Every place in a parsed TOML value: keys of tables and indexes of arrays."""
    yield prefix
    if isinstance(data, dict | list):
        for key, item in data.items() if isinstance(data, dict) else enumerate(data):
            yield from _paths(item, (*prefix, key))


def _set(data, path, value, drop):
    *parents, last = path
    for key in parents:
        data = data[key]
    if drop and isinstance(data, dict):
        data.pop(last, None)
    elif isinstance(data, list):
        data[last] = value
    else:
        data[last] = value


def _parts(file: Path) -> tuple[str, str]:
    """A lesson's front matter and body, as far as an earlier change left them."""
    try:
        _, front, body = file.read_text(encoding="utf-8").split("+++\n", 2)
    except (UnicodeDecodeError, ValueError):
        return "", ""
    return front, body


def _parsed(file: Path) -> tuple[dict, str | None]:
    """The TOML of a file (a lesson's front matter), or an empty table if it no longer parses."""
    try:
        if file.suffix == ".md":
            front, body = _parts(file)
            return tomllib.loads(front), body
        return tomllib.loads(file.read_text(encoding="utf-8")), None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}, "" if file.suffix == ".md" else None


def _mutate(root: Path, data) -> None:
    kinds = ["value", "drop", "text", "bytes", "body", "front", "extra", *["wording"] * 5]
    kind = data.draw(st.sampled_from(kinds))
    if kind == "wording":
        _reword(root, data)
    elif kind in ("value", "drop"):
        name = data.draw(st.sampled_from(TOML_FILES + LESSONS))
        file = root / name
        parsed, body = _parsed(file)
        paths = [p for p in _paths(parsed) if p] or [("title",)]
        path = data.draw(st.sampled_from(paths + [(data.draw(st.text(max_size=8)),)]))
        _set(parsed, path, data.draw(VALUES), kind == "drop")
        text = toml_text.document(parsed)
        file.write_text(text if body is None else f"+++\n{text}+++\n{body}", encoding="utf-8")
    elif kind == "text":
        file = root / data.draw(st.sampled_from(TOML_FILES + LESSONS))
        file.write_text(data.draw(st.text(max_size=200)), encoding="utf-8", errors="surrogatepass")
    elif kind == "bytes":
        file = root / data.draw(st.sampled_from(TOML_FILES + LESSONS))
        file.write_bytes(data.draw(st.binary(max_size=200)))
    elif kind in ("body", "front"):
        file = root / data.draw(st.sampled_from(LESSONS))
        front, body = _parts(file)
        if kind == "body":
            body = data.draw(MARKDOWN)
        else:
            front = data.draw(st.text(max_size=80))
        file.write_text(f"+++\n{front}+++\n{body}", encoding="utf-8", errors="surrogatepass")
    else:
        folder = root / data.draw(st.sampled_from(["", "mau", "mau/bat-dau"]))
        target = folder / data.draw(NAMES)
        if target.exists():
            return
        if data.draw(st.booleans()):
            target.mkdir()
        else:
            target.write_bytes(data.draw(st.binary(max_size=60)))


def _reword(root: Path, data) -> None:
    """Change one text (a title, a summary, a question...) to any printable wording."""
    file = root / data.draw(st.sampled_from(TOML_FILES[2:] + LESSONS))
    parsed, body = _parsed(file)
    paths = [p for p in _paths(parsed) if _free_text(p) and isinstance(_get(parsed, p), str)]
    if not paths:
        return
    wording = data.draw(st.text(alphabet=PRINTABLE, min_size=1, max_size=40))
    _set(parsed, data.draw(st.sampled_from(paths)), unicodedata.normalize("NFC", wording), False)
    text = toml_text.document(parsed)
    file.write_text(text if body is None else f"+++\n{text}+++\n{body}", encoding="utf-8")


def _free_text(path: tuple) -> bool:
    """Texts without a rule of their own (a true/false option must read "Đúng" or "Sai")."""
    if not path:
        return False
    return path[-1] in ("title", "summary", "explanation") or path[0::2] == ("questions", "text")


def _get(data, path):
    for key in path:
        data = data[key]
    return data


def _snapshot(db) -> tuple:
    return tuple(
        tuple(db.execute(select(*columns).order_by(*columns)).all())
        for columns in (
            (Course.slug, Course.title, Course.summary, Course.retired),
            (Module.slug, Module.title, Module.position, Module.retired),
            (Lesson.slug, Lesson.title, Lesson.html, Lesson.minutes, Lesson.retired),
            (Question.key, Question.text, Question.retired),
            (Option.text, Option.correct, Option.retired),
        )
    )


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_content_gives_collected_errors_or_a_whole_sync(runner, db, data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        shutil.copytree(SAMPLE_CONTENT, root)
        for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
            _mutate(root, data)

        courses, errors = load_content(root)  # never raises
        event("refused" if errors else "loaded")

        assert all(isinstance(error, ContentError) and error.message for error in errors)
        assert all(str(error) for error in errors)
        before = _snapshot(db)
        result = runner.invoke(args=["lms", "content", "sync", "--dir", str(root)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        db.expire_all()
        if errors:
            assert result.exit_code == 1 and "không nạp gì cả" in result.output
            assert _snapshot(db) == before
        else:
            assert result.exit_code == 0, result.output
            slugs = {course.slug for course in courses}
            stored = set(db.scalars(select(Course.slug).where(Course.retired.is_(False))))
            assert slugs <= stored
            lessons = sum(len(m.lessons) for c in courses for m in c.modules)
            active = select(func.count()).select_from(Lesson).join(Module).join(Course)
            active = active.where(Course.slug.in_(slugs), Lesson.retired.is_(False))
            assert db.scalar(active) == lessons


def _broken(tmp_path, name: str, old: str, new: str) -> list[str]:
    root = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, root)
    file = root / name
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return [str(error) for error in load_content(root)[1]]


def test_what_the_search_found_is_reported_by_place(tmp_path):
    """Examples hypothesis found raising before the loader checked these values."""
    assert "content/rules.toml: tracks.citizen.lesson_words: phải là hai số nguyên" in " ".join(
        _broken(tmp_path / "1", "rules.toml", "lesson_words = [5, 200]", "lesson_words = true")
    )
    assert "content/sources.toml: ²: khoá nguồn phải là một số" in " ".join(
        _broken(tmp_path / "2", "sources.toml", "19 =", '"²" = "x"\n19 =')
    )
    assert "content/mau/course.toml: summary: phải là chuỗi văn bản" in " ".join(
        _broken(tmp_path / "3", "mau/course.toml", 'summary = "', 'summary = [1]\nx = "')
    )
    assert "title: có ký tự điều khiển" in " ".join(
        _broken(tmp_path / "4", LESSONS[0], 'title = "Chào mừng"', 'title = "Chào\\u0000mừng"')
    )
    assert "order: phải từ 0 đến 100000" in " ".join(
        _broken(tmp_path / "5", LESSONS[0], "order = 1", "order = 9223372036854775807")
    )
