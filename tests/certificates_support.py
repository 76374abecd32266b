"""Helpers shared by the certificate tests."""

import itertools

from lms.courses.models import Course

_numbers = itertools.count(1)


def make_course(db, track="citizen", title="Kỹ năng số cho người dân") -> Course:
    course = Course(slug=f"khoa-{next(_numbers)}", title=title, track=track)
    db.add(course)
    db.flush()
    return course
