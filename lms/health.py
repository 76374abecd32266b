"""GET /healthz: is the database answering?"""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.db import session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
