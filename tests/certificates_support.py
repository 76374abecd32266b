"""Helpers shared by the certificate tests."""

import itertools

from flask import g
from sqlalchemy.orm import object_session

from lms.accounts.auth import open_session
from lms.certificates.services import issue_certificate
from lms.courses.models import Course
from tests.factories import make_user

_numbers = itertools.count(1)
HOLDER = "Nguyễn Thị Ngọc Ánh"


def make_course(db, track="citizen", title="Kỹ năng số cho người dân") -> Course:
    course = Course(slug=f"khoa-{next(_numbers)}", title=title, track=track)
    db.add(course)
    db.flush()
    return course


def issued(db, user=None, course=None, **user_fields):
    """A certificate for a (new) learner and a (new) course."""
    user = user or make_user(db, full_name=user_fields.pop("full_name", HOLDER), **user_fields)
    return issue_certificate(db, user, course or make_course(db))


def sign_in(client, user) -> None:
    """Sign the test client in as the user (the flask-login session keys).

    Requests share the test's app context, so flask-login's per-context cache of the
    current user is dropped too.
    """
    g.pop("_login_user", None)
    key = open_session(object_session(user), user)
    with client.session_transaction() as browser_session:
        browser_session["_user_id"] = key
        browser_session["_fresh"] = True
