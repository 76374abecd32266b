"""Cookies a request decides on and its response writes: a value in g sets, "" deletes."""

from flask import current_app, g


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
