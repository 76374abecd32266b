"""One rate limiter for the whole application.

Limits are counted in Redis when REDIS_URL is set, so they hold across gunicorn workers;
otherwise in memory (one process). Views use `@limiter.limit("10/minute")`.
"""

from flask import request
from flask.globals import request_ctx
from flask_limiter import Limiter


def client_address() -> str:
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=True)


def init_app(app):
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    # Every limit here is a decorator, and flask-limiter's decorators check their own limits
    # when the view runs. Its app-wide before_request hook would only resolve the (empty)
    # default limits, at a cost of about 0.7 ms on every request, so it is removed.
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    for hooks in (app.after_request_funcs[None], app.teardown_request_funcs[None]):
        hooks[:] = [_where_limited(hook) if _from_limiter(hook) else hook for hook in hooks]


def _from_limiter(hook) -> bool:
    return getattr(getattr(hook, "func", hook), "__qualname__", "").startswith("Limiter.")


def _where_limited(hook):
    """flask-limiter's after-request hook (rate-limit headers) and teardown hook (its state)
    only have work after a view with a limit, which leaves the limiter's state on the request
    context; every other request skips them."""

    def run(value):
        if hasattr(request_ctx._get_current_object(), "_limiter_request_context"):
            return hook(value)
        return value

    return run
