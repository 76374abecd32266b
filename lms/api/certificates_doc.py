"""OpenAPI paths of the certificates API (its views live in lms/certificates/api.py)."""

from lms.api.openapi import errors, ok, operation, path_params, ref

SCHEMAS = {
    "CertificateCheck": {
        "type": "object",
        "properties": {
            "valid": {"type": "boolean"},
            "serial": {"type": "string"},
            "holder_name": {"type": "string"},
            "course": {"type": "string"},
            "issued_at": {"type": "string", "format": "date-time"},
            "revoked": {"type": "boolean"},
            "revoked_reason": {"type": ["string", "null"]},
        },
    },
    "MyCertificates": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "serial": {"type": "string"},
                "course": {"type": "string"},
                "issued_at": {"type": "string", "format": "date-time"},
                "verify_url": {"type": "string"},
                "pdf_url": {"type": "string"},
                "revoked": {"type": "boolean"},
            },
        },
    },
}

PATHS = {
    "/certificates/{code}": {
        "get": operation(
            "Xác minh một chứng nhận theo mã (ai cũng tra được, có giới hạn lượt)",
            "certificates",
            {"200": ok("Chứng nhận", ref("CertificateCheck")), **errors(404, 429)},
            parameters=path_params("code"),
        )
    },
    "/me/certificates": {
        "get": operation(
            "Chứng nhận của người đang đăng nhập (cookie phiên hoặc Bearer token)",
            "certificates",
            {"200": ok("Danh sách chứng nhận", ref("MyCertificates")), **errors(401)},
        )
    },
}
