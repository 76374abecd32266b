"""Every error a page can answer, in the site's layout and language; never a framework page.

API paths keep their JSON errors (lms/api/errors.py). A GET on an address that only takes a
form's POST leads back to the page holding that form.
"""

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from lms.api.errors import http_error_json

API_PREFIX = "/api/"

# The page that holds each POST-only form: a GET on the form's address leads there.
FORM_PAGES = {
    "accounts.join_by_code": "accounts.profile",
    "accounts.logout": "accounts.profile",
    "accounts.logout_everywhere": "accounts.profile",
    "certificates.revoke": "certificates.verify",
    "courses.lesson_done": "courses.lesson",
    "i18n.choose_language": "courses.home",
    "reports.issue_member_code": "reports.member",
    "reports.revoke_token": "reports.tokens",
    "reports.set_target": "reports.unit",
}

# The reason error.html explains, by status.
REASONS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many",
    500: "server_error",
}


def form_page_url(endpoint: str, values: dict) -> str | None:
    """The URL of the page holding the form that posts to `endpoint`, or None."""
    target = FORM_PAGES.get(endpoint)
    if target is None:
        return None
    arguments = set().union(*(rule.arguments for rule in current_app.url_map.iter_rules(target)))
    return url_for(target, **{key: value for key, value in values.items() if key in arguments})


def _posted_form_page() -> str | None:
    """For a GET on a POST-only address: the page holding its form."""
    if request.method not in ("GET", "HEAD"):
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, values = adapter.match(method="POST")
    except HTTPException:
        return None
    return form_page_url(endpoint, values)


def error_page(code: int, message: str | None = None):
    reason = REASONS.get(code, "bad_request" if code < 500 else "server_error")
    page = render_template("error.html", code=code, reason=reason, message=message)
    return current_app.response_class(page, status=code)


def _http_error(error: HTTPException):
    if error.response is not None:  # already answered, e.g. by a rate limit's on_breach
        return error.response
    if request.path.startswith(API_PREFIX):
        return http_error_json(error)
    if isinstance(error, MethodNotAllowed):
        form_page = _posted_form_page()
        if form_page is not None:
            return redirect(form_page, 303)
        response = error_page(405)
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
        return response
    return error_page(error.code or 500)


# When even the site's layout cannot be drawn (the database is down, say): a page of its own,
# in both languages, since the person's language may not be known.
BARE_500 = (
    '<!doctype html><html lang="vi"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Có lỗi · Học Số</title><h1>Có lỗi ở máy chủ</h1>"
    "<p>Việc bạn vừa làm chưa được lưu. Hãy thử lại sau ít phút.</p>"
    '<div lang="en"><h2>Something went wrong on our side</h2>'
    "<p>What you just did was not saved. Please try again in a few minutes.</p></div>"
    '<p><a href="/">Về trang chủ · <span lang="en">Home</span></a></p></html>'
)


def _server_error(error: InternalServerError):
    """Flask has logged the exception; the person gets the site's page (or JSON)."""
    if request.path.startswith(API_PREFIX):
        return http_error_json(InternalServerError())
    try:
        return error_page(500)
    except Exception:  # noqa: BLE001 - the layout itself failed; never the framework's page
        current_app.logger.exception("The error page could not be rendered")
        return current_app.response_class(BARE_500, status=500, mimetype="text/html")


def init_app(app) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
