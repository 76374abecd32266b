import re

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from lms.api.blueprint import PREFIX
from lms.api.openapi import build_document

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _openapi_path(rule: str) -> str:
    """Flask's /quizzes/<int(max=9):quiz_id> as OpenAPI's /quizzes/{quiz_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([A-Za-z_]\w*)>", r"{\1}", rule)


def _routes(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule == PREFIX or rule.rule.startswith(PREFIX + "/"):
            methods = {m.lower() for m in rule.methods - IGNORED_METHODS}
            routes.setdefault(_openapi_path(rule.rule), set()).update(methods)
    return routes


def test_the_document_lists_exactly_the_routes_with_their_methods(app):
    with app.app_context():
        document = build_document()
    documented = {path: set(operations) for path, operations in document["paths"].items()}
    assert documented == _routes(app)


def test_the_document_is_valid_openapi_3_1(app):
    with app.app_context():
        document = build_document()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_answers_and_refers_to_known_schemas(app):
    with app.app_context():
        document = build_document()
    schemas = set(document["components"]["schemas"])
    text = repr(document)
    assert set(re.findall(r"#/components/schemas/(\w+)", text)) <= schemas
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["summary"] and operation["responses"]


def test_the_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["paths"]["/api/v1/courses"]["get"]["responses"]["200"]


def test_the_validator_would_catch_a_broken_document(app):
    with app.app_context():
        document = build_document()
    document["paths"]["/api/v1/courses"]["get"]["responses"]["200"] = {"content": {}}
    with pytest.raises(OpenAPIValidationError):
        validate(document)
