"""Reading content/rules.toml and content/sources.toml: every value is checked for its type,
so that a wrong one is reported (file, place, message) instead of failing later."""

from lms.content.specs import Rules, TrackRules

PAIRS = ("lesson_words", "lessons_per_module")
NUMBERS = ("min_questions", "min_draw", "min_pass_percent")
LIMIT = 1_000_000


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= LIMIT


def rules_from(data: dict, add) -> Rules:
    """Rules from the parsed rules.toml; add(place, message) reports a problem."""
    rules = Rules()
    domains = data.get("allowed_link_domains", [])
    if isinstance(domains, list) and all(isinstance(d, str) and d for d in domains):
        rules.allowed_link_domains = tuple(d.lower() for d in domains)
    else:
        add("allowed_link_domains", 'phải là danh sách tên miền, ví dụ ["dichvucong.gov.vn"]')
    tracks = data.get("tracks", {})
    if not isinstance(tracks, dict):
        add("tracks", "phải là các bảng [tracks.<tên>]")
        return rules
    for track, values in tracks.items():
        if not isinstance(values, dict):
            add(f"tracks.{track}", "phải là một bảng [tracks.<tên>]")
            continue
        rules.tracks[track] = _track(values, f"tracks.{track}", add)
    return rules


def _track(values: dict, place: str, add) -> TrackRules:
    track = TrackRules()
    for name in PAIRS:
        pair = values.get(name, getattr(track, name))
        if isinstance(pair, list | tuple) and len(pair) == 2 and all(map(_is_int, pair)):
            setattr(track, name, tuple(pair))
        else:
            add(f"{place}.{name}", "phải là hai số nguyên [thấp nhất, cao nhất]")
    for name in NUMBERS:
        number = values.get(name, getattr(track, name))
        if _is_int(number):
            setattr(track, name, number)
        else:
            add(f"{place}.{name}", f"phải là số nguyên từ 0 đến {LIMIT}")
    box = values.get("require_box")
    if box is None or isinstance(box, str):
        track.require_box = box
    else:
        add(f"{place}.require_box", 'phải là tên một loại ô, ví dụ "ghi-nho"')
    return track


def source_numbers(data: dict, add) -> frozenset[int]:
    """The numbered sources (keys "1", "2", ...); any other key is reported."""
    numbers = set()
    for key in data:
        if key.isascii() and key.isdigit() and len(key) < 10:
            numbers.add(int(key))
        else:
            add(key, 'khoá nguồn phải là một số, ví dụ 19 = "…"')
    return frozenset(numbers)
