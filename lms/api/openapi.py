"""The OpenAPI 3.1 document of /api/v1, built from each feature's PATHS and SCHEMAS.

A feature adds its module to FEATURES; the module defines PATHS (path → operations)
and may define SCHEMAS (name → JSON Schema), using the helpers below.
"""

from importlib import import_module

from flask import jsonify

from lms.api.blueprint import PREFIX, bp

FEATURES = [
    "lms.api.courses",
    "lms.api.quizzes",
    "lms.api.me",
    "lms.api.privacy",
    "lms.api.auth",
    "lms.api.certificates_doc",
    "lms.api.reports",
    "lms.api.openapi",
]

ERROR_DESCRIPTIONS = {
    400: "Yêu cầu không hợp lệ",
    401: "Sai thông tin đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    409: "Mâu thuẫn với trạng thái hiện tại",
    422: "Dữ liệu không hợp lệ; error.field nêu trường sai",
    429: "Thử quá nhiều lần",
}

BASE_SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": "string"},
                },
            }
        },
    }
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def ok(description: str, schema: dict | None = None) -> dict:
    response = {"description": description}
    if schema is not None:
        response["content"] = json_content(schema)
    return response


def errors(*codes: int) -> dict:
    return {
        str(code): {"description": ERROR_DESCRIPTIONS[code], "content": json_content(ref("Error"))}
        for code in codes
    }


def body(schema: dict) -> dict:
    return {"required": True, "content": json_content(schema)}


def path_params(*names: str, kind: str = "string") -> list[dict]:
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": kind}} for name in names
    ]


def operation(summary: str, tag: str, responses: dict, **extra) -> dict:
    return {"summary": summary, "tags": [tag], "responses": responses, **extra}


PATHS = {
    "/openapi.json": {
        "get": operation(
            "Tài liệu OpenAPI này", "docs", {"200": ok("Tài liệu OpenAPI 3.1", {"type": "object"})}
        )
    }
}


WRITE_METHODS = ("post", "put", "patch", "delete")
CSRF_HEADER = {
    "name": "X-CSRFToken",
    "in": "header",
    "required": False,
    "description": "Bắt buộc khi xác thực bằng cookie phiên (lấy ở GET /auth/csrf); "
    "không cần khi gửi Authorization: Bearer",
    "schema": {"type": "string"},
}


def _with_shared_rules(method: str, operation: dict) -> dict:
    """Every operation may answer 400 (a NUL character in the address, a missing CSRF
    token); a write names the X-CSRFToken header (see lms/security.py)."""
    operation = {**operation, "responses": {**errors(400), **operation["responses"]}}
    if method not in WRITE_METHODS:
        return operation
    return {**operation, "parameters": [*operation.get("parameters", []), CSRF_HEADER]}


def build_document() -> dict:
    """Merge every feature's paths and schemas into one document."""
    paths, schemas = {}, dict(BASE_SCHEMAS)
    for name in FEATURES:
        feature = import_module(name)
        for path, operations in feature.PATHS.items():
            written = {method: _with_shared_rules(method, op) for method, op in operations.items()}
            paths.setdefault(PREFIX + path, {}).update(written)
        schemas.update(getattr(feature, "SCHEMAS", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Học Số API",
            "version": "1",
            "description": "API JSON cho người học: khoá học, bài học, bài kiểm tra, tiến độ.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_document())
