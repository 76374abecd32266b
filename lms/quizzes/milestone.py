"""Whether a graded attempt is the one that completed its course, and the certificate it gave."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.certificates.models import Certificate
from lms.courses.models import Course, CourseCompletion


@dataclass(frozen=True)
class CourseDone:
    course_title: str
    certificate: Certificate | None  # None for a guest (no certificate without an account)


def course_done(db: Session, learner, attempt, course_slug: str) -> CourseDone | None:
    """The course this passed attempt completed (completion recorded with its grading)."""
    if learner is None or not attempt.passed or attempt.submitted_at is None:
        return None
    row = db.execute(
        select(Course.id, Course.title, CourseCompletion.completed_at)
        .join(CourseCompletion, CourseCompletion.course_id == Course.id)
        .where(Course.slug == course_slug, CourseCompletion.user_id == learner.id)
    ).first()
    if row is None or row.completed_at < attempt.submitted_at:
        return None
    certificate = db.scalar(
        select(Certificate).where(
            Certificate.user_id == learner.id, Certificate.course_id == row.id
        )
    )
    return CourseDone(row.title, certificate)
