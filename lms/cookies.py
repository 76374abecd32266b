"""Cookies: reading them (and query values) cheaply, and those a response writes: a value
in g sets, "" deletes."""

from flask import current_app, g


def value_of(values, key: str, default=None):
    """values.get(key) for request.args and request.cookies: for a missing key, werkzeug's
    get raises and catches an HTTP exception, which costs more than the rest of the lookup,
    and the busiest requests look up several keys they do not carry."""
    return values[key] if key in values else default  # noqa: SIM401 (the point)


def write_queued_cookie(response, slot: str, name: str, max_age: int):
    """Set or delete the cookie queued in g.<slot>; a failed response sets nothing."""
    value = g.pop(slot, None)
    if value is None:
        return response
    secure = current_app.config.get("SESSION_COOKIE_SECURE", False)
    if value == "":
        response.delete_cookie(name, httponly=True, samesite="Lax", secure=secure)
    elif response.status_code < 400:
        response.set_cookie(
            name, value, max_age=max_age, httponly=True, samesite="Lax", secure=secure
        )
    return response
