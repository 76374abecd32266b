"""The content of a course as plain values, read from content/ and checked before any sync."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OptionSpec:
    text: str
    correct: bool
    explanation: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    text: str
    explanation: str
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True)
class QuizSpec:
    pass_percent: int
    draw: int
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    title: str
    minutes: int
    order: int
    sources: tuple[int, ...]
    html: str
    word_count: int
    boxes: frozenset[str] = frozenset()
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleSpec:
    slug: str
    title: str
    summary: str
    order: int
    lessons: tuple[LessonSpec, ...]
    quiz: QuizSpec | None


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    title: str
    track: str
    summary: str
    order: int
    modules: tuple[ModuleSpec, ...]


@dataclass(frozen=True)
class ContentError:
    """One problem: the file, where in it, and what is wrong (in Vietnamese)."""

    path: str
    place: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: {self.place}" if self.place else self.path
        return f"{where}: {self.message}"


@dataclass
class TrackRules:
    lesson_words: tuple[int, int] = (1, 10_000)
    lessons_per_module: tuple[int, int] = (1, 50)
    min_questions: int = 1
    min_draw: int = 1
    min_pass_percent: int = 0
    require_box: str | None = None


@dataclass
class Rules:
    allowed_link_domains: tuple[str, ...] = ()
    tracks: dict[str, TrackRules] = field(default_factory=dict)
    sources: frozenset[int] = frozenset()
