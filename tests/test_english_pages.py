"""The English site is English: every page of the access matrix, read in English by every
role that may see it, shows no Vietnamese outside lesson content, names and places (which
the templates mark lang="vi"). Forms are posted empty and with wrong values, so that their
error messages and flashes are read too, and the API's error messages are read as JSON.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.db import utcnow
from lms.i18n import LOCALE_COOKIE
from lms.reports import featured, targets
from lms.reports.periods import month_key, vietnam_day
from tests.access_world import OK, ROLES, build_world, client_as
from tests.access_world import form_token as token_of
from tests.english_support import is_vietnamese, vietnamese_in, vietnamese_in_html
from tests.test_access_matrix import LAST, MATRIX, _rules, path_values

# Whose answers the walk reads last: their effect outlives the request (joining a team,
# signing out everywhere, leaving).
LEAVING = (*LAST, "POST /me/delete", "DELETE /api/v1/me")


def _order(key: str) -> tuple:
    return (key in LEAVING, not key.startswith("GET "), key)


@pytest.fixture
def world(db):
    """The access matrix's world, with a target on commune C1 and this month's featured topic."""
    world = build_world(db)
    admin, country = world.people["admin"], world.country
    today = vietnam_day(utcnow())
    due = today + timedelta(days=30)
    targets.set_target(db, country.units["C1"], country.course, 80, due, admin, today)
    module = featured.citizen_modules(db)[0]
    featured.set_topic(db, month_key(today), str(module.id), admin, today)
    return world


def english(app, world, role):
    client = client_as(app, world, role)
    client.set_cookie(LOCALE_COOKIE, "en")
    return client


def _walk(app, world, role, methods):
    """(method, url) of every matrix route the role may use, in the matrix's order."""
    rules, adapter = _rules(app), app.url_map.bind("localhost")
    for key in sorted(MATRIX, key=_order):
        method = key.split(" ", 1)[0]
        if method not in methods:
            continue
        for name, expected in MATRIX[key]:
            if expected[role] != OK:
                continue
            values = path_values(world, role, name)
            rule = rules[key]
            arguments = {k: values[k] for k in rule.arguments}
            yield method, adapter.build(rule.endpoint, arguments, method=method)


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {texts}" for where, texts in found.items() if texts)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_english_for_every_role_that_sees_it(app, db, world, role):
    found, read = {}, 0
    for _method, url in _walk(app, world, role, {"GET"}):
        for kind in ("csv", "xlsx") if "/export." in url else (None,):
            address = url.replace("export.csv", f"export.{kind}") if kind else url
            response = english(app, world, role).get(address)
            if response.status_code in (301, 302, 303, 307, 308):
                continue  # the page it leads to is a route of its own
            found[f"GET {address} ({response.status_code})"] = vietnamese_in(response)
            read += 1
    assert read >= 10, "the walk read too few pages to mean anything"
    assert not _report(found), f"{role} reads Vietnamese in English:\n{_report(found)}"


@pytest.mark.parametrize("role", ROLES)
def test_every_form_and_api_write_answers_in_english(app, db, world, role):
    """Every write the role may make, posted empty: the error (or the page it leads to, with
    its flash) is English; API writes answer with English error messages."""
    found = {}
    for method, url in _walk(app, world, role, {"POST", "DELETE"}):
        client = english(app, world, role)
        if url.startswith("/api/"):
            response = client.open(url, method=method, json={})
        else:
            response = client.open(
                url, method=method, data={"csrf_token": token_of(client)}, follow_redirects=True
            )
        found[f"{method} {url} ({response.status_code})"] = vietnamese_in(response)
    assert found, "the walk posted nothing"
    assert not _report(found), f"{role} reads Vietnamese in English:\n{_report(found)}"
