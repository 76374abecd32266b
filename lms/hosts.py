"""The site's public address, the Host names it answers to, and the proxies it trusts.

- `PUBLIC_URL` starts every absolute URL the site writes (share links and their QR codes,
  invitations, certificates and their QR codes, API answers). It is required in production;
  without it (development) a URL starts with the site the request came to.
- `TRUSTED_HOSTS` is Flask's own setting: a request for any other Host is refused with a 400
  page in the visitor's language. Production defaults it to PUBLIC_URL's host.
- `TRUSTED_PROXIES` counts the reverse proxies in front of the application: werkzeug's
  ProxyFix then takes the client's address and scheme from that many X-Forwarded-For and
  X-Forwarded-Proto entries. With 0 (the default) those headers are never read, so a client
  cannot choose the address its rate limits are counted under.
"""

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.security import API_PREFIX, json_error

DEVELOPMENT_URL = "http://localhost:5000"


def public_base_url() -> str:
    """PUBLIC_URL when set, else the site this request came to (scheme and host)."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_URL


def public_url_for(endpoint: str, **values) -> str:
    """An absolute URL of a page, starting with the public address."""
    return public_base_url() + url_for(endpoint, **values)


def _refuse_unknown_host():
    """Flask checks the Host against TRUSTED_HOSTS when it routes the request, but hooks run
    before the routing error is raised: raise it first, so nothing else runs for that host."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def _unknown_host(_error):
    message = _(
        "Trang web này không phục vụ tên miền được yêu cầu. Hãy mở đúng địa chỉ của Học Số."
    )
    if request.path.startswith(API_PREFIX):
        return json_error(400, "unknown_host", message)
    # No URL can be built for an unknown host, so the page stands alone.
    return render_template("host_refused.html", message=message), 400


def init_app(app) -> None:
    """Call last: ProxyFix wraps the whole WSGI application, mounted files included."""
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_unknown_host)
    app.register_error_handler(SecurityError, _unknown_host)
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
