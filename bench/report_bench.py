"""Report API latency, end to end through the Flask test client, at three levels.

Each request is GET /api/v1/units/{code}/report with a Bearer token of the official of that
unit (an admin's for the whole country): token lookup, scope, roll-up query and JSON, as
a client sees them. Run it on a database made by bench/national_dataset.py:

    python bench/report_bench.py --database-url postgresql://root@127.0.0.1:5432/hocso_bench
"""

import argparse
import random
import statistics
import time

from sqlalchemy import select

from lms import create_app
from lms.accounts.models import User
from lms.accounts.tokens import create_token
from lms.db import session
from lms.units.models import Unit

LEVELS = ("commune", "province", "country")
ROLE_OF_LEVEL = {"commune": "commune_official", "province": "province_official"}
UNITS_PER_LEVEL = 20


def _official(db, role: str, unit: Unit | None) -> str:
    """A new official (or admin) for the unit, and their token."""
    user = User(full_name=f"Cán bộ đo {role}", role=role, unit=unit)
    db.add(user)
    db.flush()
    return create_token(db, user, "bench")[1]


def _targets(db, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(unit code, token) pairs for each level."""
    targets = {"country": [("VN", _official(db, "admin", None))]}
    for level in ("commune", "province"):
        units = db.scalars(select(Unit).where(Unit.level == level).order_by(Unit.code)).all()
        chosen = rng.sample(units, min(UNITS_PER_LEVEL, len(units)))
        targets[level] = [(u.code, _official(db, ROLE_OF_LEVEL[level], u)) for u in chosen]
    db.commit()
    return targets


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(client, targets, requests: int, warmup: int) -> dict[str, dict[str, float]]:
    """Milliseconds per request at each level: p50, p95, max, and the rows answered."""
    results = {}
    for level in LEVELS:
        pairs = targets[level]
        timings, rows = [], 0
        for number in range(warmup + requests):
            code, token = pairs[number % len(pairs)]
            began = time.perf_counter()
            response = client.get(
                f"/api/v1/units/{code}/report", headers={"Authorization": f"Bearer {token}"}
            )
            body = response.get_json()
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (level, code, response.status_code, body)
            if number >= warmup:
                timings.append(elapsed)
                rows = max(rows, len(body["rows"]))
        results[level] = {
            "p50": statistics.median(timings),
            "p95": _percentile(timings, 0.95),
            "max": max(timings),
            "rows": rows,
            "members": body["totals"]["members"] if level == "country" else None,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        targets = _targets(session(), random.Random(7))
    client = app.test_client()
    results = measure(client, targets, args.requests, args.warmup)
    dialect = app.extensions["lms.db"].engine.dialect.name
    print(f"| database | level | rows | p50 ms | p95 ms | max ms |  ({args.requests} requests)")
    print("| --- | --- | --- | --- | --- | --- |")
    for level, figures in results.items():
        print(
            f"| {dialect} | {level} | {figures['rows']} | {figures['p50']:.2f} | "
            f"{figures['p95']:.2f} | {figures['max']:.2f} |"
        )
    print(f"members in the country total: {results['country']['members']:,}")


if __name__ == "__main__":
    main()
