"""Read content/ into specs and check every rule; no Flask, no database.

Every problem is collected (file, place, message) so that an author sees all of them at
once; a caller loads nothing unless the list of errors is empty.
"""

import re
import tomllib
import unicodedata
from pathlib import Path

from lms.content import markdown
from lms.content.links import is_official_link
from lms.content.rules_file import rules_from, source_numbers
from lms.content.specs import (
    ContentError,
    CourseSpec,
    LessonSpec,
    ModuleSpec,
    OptionSpec,
    QuestionSpec,
    QuizSpec,
    Rules,
    TrackRules,
)

TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 80
MAX_TITLE = 300
MAX_ORDER = 100_000
# PostgreSQL refuses NUL in text; other control characters are mistakes in any text
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRACKS = ("citizen", "member", "official")
KINDS = ("single", "multiple", "true_false")
FRONT_MATTER = "+++"
OFFICIAL_LINKS_ONLY = (
    "chỉ được liên kết https tới tên miền chính thức trong rules.toml (allowed_link_domains)"
)


class Problems:
    """Collects content errors relative to the content root."""

    def __init__(self, root: Path):
        self.root = root
        self.items: list[ContentError] = []

    def add(self, path: Path, place: str, message: str) -> None:
        try:
            shown = str(path.relative_to(self.root.parent))
        except ValueError:
            shown = str(path)
        self.items.append(ContentError(shown, place, message))


def load_content(root: Path) -> tuple[list[CourseSpec], list[ContentError]]:
    """Read and check every course under root."""
    root = Path(root)
    problems = Problems(root)
    rules = _load_rules(root, problems)
    courses = [
        course
        for folder in sorted(p for p in root.iterdir() if p.is_dir())
        if (course := _load_course(folder, rules, problems)) is not None
    ]
    return courses, problems.items


def _read_toml(path: Path, problems: Problems) -> dict | None:
    if not path.is_file():
        problems.add(path, "", "thiếu tệp")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(path, f"byte {exc.start}", "tệp không phải UTF-8")
        return None
    return _parse_toml(text, path, problems)


def _parse_toml(text: str, path: Path, problems: Problems, line_offset: int = 0) -> dict | None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = TOML_POSITION.search(str(exc))
        detail = TOML_POSITION.sub("", str(exc)).strip()
        place = f"dòng {int(found[1]) + line_offset}, cột {found[2]}" if found else ""
        problems.add(path, place, f"TOML không hợp lệ: {detail}")
        return None
    _check_nfc(data, path, problems, "")
    return data


def _check_text(text: str, path: Path, problems: Problems, place: str) -> None:
    if not unicodedata.is_normalized("NFC", text):
        problems.add(path, place, "văn bản chưa chuẩn hoá Unicode NFC")
    if CONTROL.search(text):
        problems.add(path, place, "có ký tự điều khiển (ví dụ NUL) trong văn bản")


def _check_nfc(value, path: Path, problems: Problems, place: str) -> None:
    if isinstance(value, str):
        _check_text(value, path, problems, place or "giá trị")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_nfc(item, path, problems, f"{place}.{key}" if place else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value, 1):
            _check_nfc(item, path, problems, f"{place}[{index}]")


def _load_rules(root: Path, problems: Problems) -> Rules:
    path = root / "rules.toml"
    data = _read_toml(path, problems) or {}
    rules = rules_from(data, lambda place, message: problems.add(path, place, message))
    path = root / "sources.toml"
    sources = _read_toml(path, problems) or {}
    rules.sources = source_numbers(sources, lambda key, msg: problems.add(path, key, msg))
    return rules


def _require(data: dict, key: str, kind: type, path: Path, problems: Problems, place=""):
    value = data.get(key)
    if kind is int and isinstance(value, bool):
        value = None
    label = f"{place}.{key}" if place else key
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        problems.add(path, label, f"thiếu hoặc sai kiểu (cần {_KIND_NAMES[kind]})")
        return None
    if kind is int and not 0 <= value <= MAX_ORDER:
        problems.add(path, label, f"phải từ 0 đến {MAX_ORDER}")
        return None
    return value


def _optional_text(data: dict, key: str, path: Path, problems: Problems, place="") -> str:
    value = data.get(key, "")
    if isinstance(value, str):
        return value
    problems.add(path, f"{place}.{key}" if place else key, "phải là chuỗi văn bản")
    return ""


def _title(data: dict, path: Path, problems: Problems) -> str | None:
    title = _require(data, "title", str, path, problems)
    if title is not None and len(title) > MAX_TITLE:
        problems.add(path, "title", f"dài quá {MAX_TITLE} ký tự")
        return None
    return title


_KIND_NAMES = {str: "chuỗi văn bản", int: "số nguyên", list: "danh sách", bool: "true/false"}


def _check_slug(folder: Path, problems: Problems) -> bool:
    if SLUG.fullmatch(folder.stem) and len(folder.stem) <= MAX_SLUG:
        return True
    problems.add(folder, "", "tên phải là slug: chữ thường không dấu, số và dấu gạch nối")
    return False


def _load_course(folder: Path, rules: Rules, problems: Problems) -> CourseSpec | None:
    if not _check_slug(folder, problems):
        return None
    path = folder / "course.toml"
    data = _read_toml(path, problems)
    if data is None:
        return None
    track = data.get("track")
    if track not in TRACKS:
        problems.add(path, "track", f"phải là một trong {', '.join(TRACKS)}")
        return None
    track_rules = rules.tracks.get(track, TrackRules())
    modules = tuple(
        module
        for sub in sorted(p for p in folder.iterdir() if p.is_dir())
        if (module := _load_module(sub, track_rules, rules, problems)) is not None
    )
    if not modules:
        problems.add(folder, "", "khoá học chưa có mô-đun nào")
    _check_unique_order(modules, folder, problems, "mô-đun")
    title = _title(data, path, problems)
    order = _require(data, "order", int, path, problems)
    summary = _optional_text(data, "summary", path, problems)
    if title is None or order is None:
        return None
    return CourseSpec(folder.name, title, track, summary, order, modules)


def _check_unique_order(items, folder: Path, problems: Problems, what: str) -> None:
    seen: dict[int, str] = {}
    for item in items:
        if item.order in seen:
            problems.add(
                folder,
                f"order = {item.order}",
                f"{what} '{item.slug}' và '{seen[item.order]}' trùng thứ tự",
            )
        seen[item.order] = item.slug


def _load_module(folder: Path, track_rules: TrackRules, rules: Rules, problems: Problems):
    if not _check_slug(folder, problems):
        return None
    path = folder / "module.toml"
    data = _read_toml(path, problems)
    if data is None:
        return None
    files = sorted(file for file in folder.glob("*.md") if file.is_file())
    lessons = tuple(
        lesson
        for file in files
        if (lesson := _load_lesson(file, track_rules, rules, problems)) is not None
    )
    low, high = track_rules.lessons_per_module
    count = len(files)
    if not low <= count <= high:
        problems.add(folder, "", f"có {count} bài học, cần từ {low} đến {high}")
    _check_unique_order(lessons, folder, problems, "bài học")
    quiz = _load_quiz(folder / "quiz.toml", track_rules, problems)
    title = _title(data, path, problems)
    order = _require(data, "order", int, path, problems)
    summary = _optional_text(data, "summary", path, problems)
    if title is None or order is None:
        return None
    return ModuleSpec(folder.name, title, summary, order, lessons, quiz)


def _split_front_matter(text: str) -> tuple[str, str] | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None


def _load_lesson(file: Path, track_rules: TrackRules, rules: Rules, problems: Problems):
    if not _check_slug(file, problems):
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(file, f"byte {exc.start}", "tệp không phải UTF-8")
        return None
    parts = _split_front_matter(text)
    if parts is None:
        problems.add(file, "dòng 1", "thiếu phần đầu TOML giữa hai dòng +++")
        return None
    front_text, body = parts
    front = _parse_toml(front_text, file, problems, line_offset=1)
    if front is None:
        return None
    _check_text(body, file, problems, "nội dung")
    title = _title(front, file, problems)
    minutes = _require(front, "minutes", int, file, problems)
    order = _require(front, "order", int, file, problems)
    sources = front.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, int) for s in sources):
        problems.add(file, "sources", "phải là danh sách số nguồn, ví dụ [19, 22]")
        sources = []
    for number in sources:
        if number not in rules.sources:
            problems.add(file, "sources", f"nguồn {number} không có trong content/sources.toml")
    if minutes is not None and not 1 <= minutes <= 10:
        problems.add(file, "minutes", "thời lượng phải từ 1 đến 10 phút")
    html = markdown.render(body)
    lesson = LessonSpec(
        slug=file.stem,
        title=title or "",
        minutes=minutes or 0,
        order=order or 0,
        sources=tuple(sources),
        html=html,
        word_count=markdown.word_count(html),
        boxes=markdown.boxes(html),
        links=markdown.links(html),
    )
    _check_lesson_rules(file, lesson, track_rules, rules, problems)
    if None in (title, minutes, order):
        return None
    return lesson


def _check_lesson_rules(file, lesson, track_rules, rules, problems) -> None:
    low, high = track_rules.lesson_words
    if not low <= lesson.word_count <= high:
        problems.add(file, "nội dung", f"có {lesson.word_count} từ, cần từ {low} đến {high}")
    known = ", ".join(sorted(markdown.BOX_KINDS))
    for kind in sorted(lesson.boxes - markdown.BOX_KINDS):
        problems.add(file, f"ô '{kind}'", f"không có loại ô này; dùng: {known}")
    if track_rules.require_box and track_rules.require_box not in lesson.boxes:
        problems.add(file, "nội dung", f"thiếu ô '!!! {track_rules.require_box}'")
    for href in lesson.links:
        if not is_official_link(href, rules.allowed_link_domains):
            problems.add(file, f"liên kết {href!r}", OFFICIAL_LINKS_ONLY)


def _load_quiz(path: Path, track_rules: TrackRules, problems: Problems) -> QuizSpec | None:
    data = _read_toml(path, problems)
    if data is None:
        return None
    pass_percent = _require(data, "pass_percent", int, path, problems)
    draw = _require(data, "draw", int, path, problems)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.add(path, "questions", "ngân hàng câu hỏi trống")
        return None
    questions = []
    seen_keys: set[str] = set()
    for index, raw in enumerate(raw_questions, 1):
        question = _load_question(raw, f"questions[{index}]", path, problems)
        if question is None:
            continue
        if question.key in seen_keys:
            problems.add(path, f"questions[{index}]", f"id '{question.key}' bị trùng")
        seen_keys.add(question.key)
        questions.append(question)
    if pass_percent is not None and not track_rules.min_pass_percent <= pass_percent <= 100:
        problems.add(path, "pass_percent", f"phải từ {track_rules.min_pass_percent} đến 100")
    if len(raw_questions) < track_rules.min_questions:
        problems.add(
            path,
            "questions",
            f"có {len(raw_questions)} câu hỏi, cần ít nhất {track_rules.min_questions}",
        )
    if draw is not None and not track_rules.min_draw <= draw <= len(raw_questions):
        problems.add(
            path,
            "draw",
            f"số câu rút mỗi lần phải từ {track_rules.min_draw} đến {len(raw_questions)}",
        )
    if pass_percent is None or draw is None:
        return None
    return QuizSpec(pass_percent, draw, tuple(questions))


def _load_question(raw, place: str, path: Path, problems: Problems) -> QuestionSpec | None:
    if not isinstance(raw, dict):
        problems.add(path, place, "câu hỏi phải là một bảng [[questions]]")
        return None
    key = _require(raw, "id", str, path, problems, place)
    if key is not None:
        place = f"{place} (id '{key}')"
        if not SLUG.fullmatch(key) or len(key) > MAX_SLUG:
            problems.add(path, place, "id phải là slug: chữ thường không dấu, số, dấu gạch nối")
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.add(path, f"{place}.kind", f"phải là một trong {', '.join(KINDS)}")
    text = _require(raw, "text", str, path, problems, place)
    explanation = _require(raw, "explanation", str, path, problems, place)
    options = _load_options(raw.get("options"), place, path, problems)
    if None in (key, text, explanation, options) or kind not in KINDS:
        return None
    _check_option_counts(kind, options, place, path, problems)
    return QuestionSpec(key, kind, text, explanation, options)


def _load_options(raw, place: str, path: Path, problems: Problems):
    if not isinstance(raw, list) or not raw:
        problems.add(path, f"{place}.options", "thiếu danh sách phương án")
        return None
    options = []
    for index, item in enumerate(raw, 1):
        where = f"{place}.options[{index}]"
        if not isinstance(item, dict):
            problems.add(path, where, "phương án phải là { text = ..., correct = ... }")
            return None
        text = _require(item, "text", str, path, problems, where)
        correct = item.get("correct", False)
        if not isinstance(correct, bool):
            problems.add(path, f"{where}.correct", "phải là true hoặc false")
            return None
        if text is None:
            return None
        explanation = _optional_text(item, "explanation", path, problems, where)
        options.append(OptionSpec(text, correct, explanation))
    return tuple(options)


def _check_option_counts(kind, options, place, path, problems) -> None:
    correct = sum(option.correct for option in options)
    if kind == "single" and not (3 <= len(options) <= 5 and correct == 1):
        problems.add(
            path,
            place,
            f"câu 'single' cần 3–5 phương án và đúng 1 đáp án đúng "
            f"(đang có {len(options)} phương án, {correct} đúng)",
        )
    elif kind == "multiple" and not (
        3 <= len(options) <= 6 and correct >= 2 and correct < len(options)
    ):
        problems.add(
            path,
            place,
            f"câu 'multiple' cần 3–6 phương án, ít nhất 2 đúng và 1 sai "
            f"(đang có {len(options)} phương án, {correct} đúng)",
        )
    elif kind == "true_false" and not (
        [o.text for o in options] == ["Đúng", "Sai"] and correct == 1
    ):
        problems.add(
            path,
            place,
            'câu \'true_false\' cần đúng hai phương án "Đúng", "Sai" và một đáp án đúng',
        )
