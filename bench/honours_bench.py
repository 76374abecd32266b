"""Honours latency on a national dataset (made by bench/national_dataset.py).

    python bench/honours_bench.py --database-url postgresql://root@127.0.0.1:5432/hocso_bench

Prints the median and worst time of building the standings for the country and for the
largest province, in every period.
"""

import argparse
import statistics
import time

from sqlalchemy import func, select

from lms import create_app
from lms.db import session, utcnow
from lms.reports.honours_services import honours
from lms.reports.periods import PERIOD_KEYS, period_start, vietnam_day
from lms.reports.scope import Scope
from lms.reports.services import choose_course
from lms.units.models import Unit


def _largest_province(db) -> str:
    """The province with the most communes."""
    parents = select(Unit.parent_id, func.count()).where(Unit.level == "commune")
    query = parents.group_by(Unit.parent_id).order_by(func.count().desc())
    parent_id, _n = db.execute(query).first()
    return db.get(Unit, parent_id).code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        db = session()
        course = choose_course(db, None)
        province = _largest_province(db)
        today = vietnam_day(utcnow())
        for code in ("VN", province):
            for period in PERIOD_KEYS:
                times = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    found = honours(
                        db, Scope(everything=True), code, course, period_start(period, today)
                    )
                    times.append(1000 * (time.perf_counter() - started))
                print(
                    f"{code:>6} {period:<8} children {len(found.children):>5} teams "
                    f"{len(found.teams):>6}  median {statistics.median(times):7.1f} ms  "
                    f"max {max(times):7.1f} ms"
                )


if __name__ == "__main__":
    main()
