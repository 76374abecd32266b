"""The JSON API blueprint; resources attach their views to it."""

from flask import Blueprint

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)
