"""Completion rules, as plain functions over ids."""


def module_complete(
    quiz_passed: bool, has_quiz: bool, lessons_done: set[int], lesson_ids: set[int]
) -> bool:
    """A module with a quiz is complete when the quiz is passed; otherwise when all lessons are."""
    return quiz_passed if has_quiz else lesson_ids <= lessons_done


def course_complete(module_ids: set[int], completed_module_ids: set[int]) -> bool:
    """A course is complete when every one of its (active) modules is."""
    return bool(module_ids) and module_ids <= completed_module_ids
