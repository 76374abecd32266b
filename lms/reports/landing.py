"""Where a person lands after signing in, and whether their header shows "Reports".

Officials land on their own unit's dashboard, a team leader on their team's page and the
admin on the country's; everyone else has no reports and lands where they always did.
"""

from flask import url_for

from lms.accounts.models import OFFICIAL_ROLES
from lms.reports.scope import scope_for

REPORT_ROLES = ("admin", "team_leader", *OFFICIAL_ROLES)


def reports_home(user) -> str | None:
    """The URL of the user's own report page, or None when they see no report."""
    if getattr(user, "role", None) not in REPORT_ROLES:
        return None
    scope = scope_for(user)
    if scope is None:
        return None
    kind, code = scope.home
    return url_for("reports.unit" if kind == "unit" else "reports.team", code=code)


def landing(user, default: str) -> str:
    """Where a sign-in without `next` leads: the user's reports, else the default."""
    return reports_home(user) or default
