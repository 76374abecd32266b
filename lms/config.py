"""Configuration: defaults, the instance folder, environment variables, then checks."""

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "LMS_ENV": "development",
    "DATABASE_URL": None,
    "REDIS_URL": None,
    "SECRET_KEY": None,
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    "CONTENT_DIR": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
}

# Plain names a platform operator expects, besides the LMS_ prefixed ones.
PLAIN_ENV_NAMES = ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "LMS_ENV")


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


def _instance_secret(instance: Path) -> str:
    """Read the development secret key from instance/, creating it once."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
