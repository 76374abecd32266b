"""Configuration: defaults, the instance folder, environment variables, then checks."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

DEFAULTS = {
    "LMS_ENV": "development",
    "DATABASE_URL": None,
    "REDIS_URL": None,
    "SECRET_KEY": None,
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    "CONTENT_DIR": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PUBLIC_URL": None,
    "TRUSTED_HOSTS": None,
    "TRUSTED_PROXIES": 0,
}

# Plain names a platform operator expects, besides the LMS_ prefixed ones.
PLAIN_ENV_NAMES = (
    "DATABASE_URL",
    "SECRET_KEY",
    "REDIS_URL",
    "LMS_ENV",
    "PUBLIC_URL",
    "TRUSTED_HOSTS",
    "TRUSTED_PROXIES",
)


class ConfigError(RuntimeError):
    """The configuration cannot run the platform safely."""


def load_config(app, test_config=None):
    """Fill app.config from defaults, instance/config.py, the environment and test_config."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for name in PLAIN_ENV_NAMES:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("LMS")
    if test_config:
        app.config.from_mapping(test_config)
    _fill_derived(app)


def _fill_derived(app):
    instance = Path(app.instance_path)
    if not app.config["DATABASE_URL"]:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'lms.sqlite3'}"
    if not app.config["CONTENT_DIR"]:
        app.config["CONTENT_DIR"] = str(Path(app.root_path).parent / "content")
    production = app.config["LMS_ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = production
    if not app.config["SECRET_KEY"]:
        if production:
            raise ConfigError("SECRET_KEY is required in production (LMS_ENV=production).")
        app.config["SECRET_KEY"] = _instance_secret(instance)
    _fill_addresses(app.config, production)


def _fill_addresses(config, production: bool) -> None:
    """PUBLIC_URL (required in production), TRUSTED_HOSTS (a list; in production PUBLIC_URL's
    host by default) and TRUSTED_PROXIES (a hop count)."""
    config["PUBLIC_URL"] = public_url(config["PUBLIC_URL"])
    if production and not config["PUBLIC_URL"]:
        raise ConfigError(
            "PUBLIC_URL is required in production (LMS_ENV=production), "
            "e.g. PUBLIC_URL=https://hocso.example.vn."
        )
    hosts = config["TRUSTED_HOSTS"]
    if isinstance(hosts, str):
        hosts = [host.strip() for host in hosts.split(",") if host.strip()] or None
    if hosts is None and production:
        hosts = [urlsplit(config["PUBLIC_URL"]).hostname]
    config["TRUSTED_HOSTS"] = list(hosts) if hosts is not None else None
    config["TRUSTED_PROXIES"] = proxy_hops(config["TRUSTED_PROXIES"])


def public_url(value) -> str | None:
    """The site's public address as `scheme://host[:port]`, or None when not set."""
    if not value:
        return None
    text = str(value).strip().rstrip("/")
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path
        or parts.query
        or parts.fragment
        or any(ch.isspace() or ord(ch) < 32 for ch in text)
    ):
        raise ConfigError(
            f"PUBLIC_URL must be the site's address, like https://hocso.example.vn "
            f"(http or https, a host, no path): {text!r}."
        )
    return text


def proxy_hops(value) -> int:
    """TRUSTED_PROXIES: how many reverse proxies stand in front of the application."""
    try:
        hops = int(value or 0)
    except (TypeError, ValueError):
        hops = -1
    if hops < 0:
        raise ConfigError(
            f"TRUSTED_PROXIES must be a whole number of proxies (0 or more): {value!r}."
        )
    return hops


def _instance_secret(instance: Path) -> str:
    """Read the development secret key from instance/, creating it once."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
