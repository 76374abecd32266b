"""Certificate figures: PDF rendering time and size, and stored-PDF download throughput.

Rendering: a cold process (imports, fonts and first render) and the warm median of
repeated renders. Download: a stored certificate through the signed link the holder's pages
show (/files/certificates/<serial>.pdf?t=...) and through the session-checked route
(/certificates/<serial>.pdf, signed in as the holder), through gunicorn (2 sync workers on
loopback), against a bare Flask page sending the same bytes with the same gunicorn
settings. Pages take alternating turns and the median turn is reported. The load is
bounded: a fixed number of requests per turn from a few client threads, with a time limit.

    python bench/certificate_bench.py [--renders 20] [--requests 1000] [--rounds 5]
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOLDER = "Nguyễn Thị Ngọc Ánh"
USER_AGENT = "hocso-certificate-bench"
SAMPLE = {
    "serial": "TV-2026-000123",
    "code": "K7M2QX9PTR4W",
    "holder_name": HOLDER,
    "course": "Thành viên Tổ công nghệ số cộng đồng",
    "team_name": "Tổ dân phố số 3",
    "commune_name": "Phường Ba Đình",
    "date_text": "ngày 30 tháng 11 năm 2026",
    "verify_page": "https://hocso.example.vn/verify/K7M2QX9PTR4W",
    # a payload of the real length (name and course above, Ed25519 signature)
    "qr_text": "https://hocso.example.vn/verify/K7M2QX9PTR4W#1." + "A" * 170 + "." + "B" * 86,
}
COLD_SCRIPT = """
import time
began = time.perf_counter()
from lms.certificates.pdf import render_pdf
pdf = render_pdf({context!r})
print(time.perf_counter() - began, len(pdf))
"""


def render_figures(renders: int) -> dict:
    """Cold-process and warm render times (ms) and the PDF size (bytes)."""
    cold = subprocess.run(
        [sys.executable, "-c", COLD_SCRIPT.format(context=SAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    from lms.certificates.pdf import harfbuzz_subset_available, render_pdf

    render_pdf(SAMPLE)
    timings, cpu = [], []
    for _ in range(renders):
        began, began_cpu = time.perf_counter(), time.process_time()
        pdf = render_pdf(SAMPLE)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return {
        "cold_ms": float(cold[0]) * 1000,
        "warm_median_ms": statistics.median(timings),
        "warm_min_ms": min(timings),
        "warm_cpu_median_ms": statistics.median(cpu),
        "size_bytes": len(pdf),
        "harfbuzz_subset": harfbuzz_subset_available(),
    }


def prepare(database_url: str, secret: str) -> tuple[str, str, str, bytes]:
    """A migrated database with one holder and a stored certificate.

    Returns the session-checked path, the signed link the holder's pages show, the holder's
    session cookie and the PDF.
    """
    from flask_login.utils import _create_identifier

    from lms import create_app, migrate
    from lms.accounts.models import User
    from lms.certificates import documents, files, keys
    from lms.certificates.services import issue_certificate
    from lms.courses.models import Course
    from lms.db import session

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret})
    migrate.upgrade(app.extensions["lms.db"].engine)
    headers = {"User-Agent": USER_AGENT}
    with app.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        db = session()
        course = Course(slug="bench", title=SAMPLE["course"], track="member")
        user = User(full_name=HOLDER, role="member", login="bench-holder")
        db.add_all([course, user])
        db.flush()
        certificate = issue_certificate(db, user, course)
        pdf = documents.ensure_pdf(db, certificate, "http://127.0.0.1", keys.signing_key())
        db.commit()
        state = {"_user_id": user.get_id(), "_fresh": True, "_id": _create_identifier()}
        cookie = app.session_interface.get_signing_serializer(app).dumps(state)
        signed = files.signed_path(secret, certificate.serial, certificate.code)
        return f"/certificates/{certificate.serial}.pdf", signed, cookie, pdf


def bare_app():
    """A Flask app with one page answering the same PDF bytes and headers, nothing else."""
    from flask import Flask, make_response

    app = Flask(__name__)
    body = Path(os.environ["BENCH_PDF"]).read_bytes()

    @app.get("/bare.pdf")
    def bare():
        response = make_response(body)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Cache-Control"] = "private, max-age=86400"
        return response

    return app


def app_with_bare_page():
    """The platform itself (same hooks, session, settings) plus a page that only sends the PDF."""
    from flask import make_response

    from lms import create_app

    app = create_app()
    body = Path(os.environ["BENCH_PDF"]).read_bytes()

    @app.get("/bench/bare.pdf")
    def bench_bare():
        response = make_response(body)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Cache-Control"] = "private, max-age=86400"
        return response

    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(target: str, env: dict) -> tuple[subprocess.Popen, int]:
    """gunicorn with 2 sync workers on a free loopback port, once it answers."""
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--log-level", "warning", target], env=env, cwd=Path(__file__).parent.parent
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start: {target}")


def load(port: int, path: str, cookie: str | None, requests: int, clients: int, limit: float):
    """Requests per second over a bounded run; every answer must be 200 with the full body."""
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    remaining, lock, sizes, errors = [requests], threading.Lock(), [], []
    deadline = time.monotonic() + limit

    def client():
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            (sizes if response.status == 200 else errors).append(len(body))

    for _ in range(2 * clients):  # warm both workers
        one = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        one.request("GET", path, headers=headers)
        one.getresponse().read()
        one.close()
    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed on {path}")
    return {"requests": len(sizes), "seconds": elapsed, "per_second": len(sizes) / elapsed}


def _median_run(turns: list[dict]) -> dict:
    ordered = sorted(turns, key=lambda run: run["per_second"])
    return ordered[len(ordered) // 2]


def download_figures(requests: int, clients: int, limit: float, rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as work:
        url, secret = f"sqlite:///{work}/bench.sqlite3", "certificate-bench-secret"
        path, signed, cookie, pdf = prepare(url, secret)
        (Path(work) / "stored.pdf").write_bytes(pdf)
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "LMS_REDIS_URL")},
            "DATABASE_URL": url,
            "SECRET_KEY": secret,
            "BENCH_PDF": str(Path(work) / "stored.pdf"),
        }
        bare_server, bare_port = serve("bench.certificate_bench:bare_app()", env)
        app_server, app_port = serve("bench.certificate_bench:app_with_bare_page()", env)
        pages = [
            ("bare", bare_port, "/bare.pdf", None),
            ("app_bare", app_port, "/bench/bare.pdf", cookie),
            ("stored", app_port, path, cookie),
            ("signed", app_port, signed, None),
        ]
        runs = {name: [] for name, *_ in pages}
        try:
            # Alternating turns, so that the machine's other load weighs on every page alike.
            for _ in range(rounds):
                for name, port, page, jar in pages:
                    runs[name].append(load(port, page, jar, requests, clients, limit))
        finally:
            for server in (bare_server, app_server):
                server.terminate()
                server.wait(timeout=30)
        figures = {name: _median_run(turns) for name, turns in runs.items()}
        figures["bytes"] = len(pdf)
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000, help="per page and turn")
    parser.add_argument("--rounds", type=int, default=5, help="alternating turns; medians")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds per turn")
    args = parser.parse_args()
    render = render_figures(args.renders)
    print(f"HarfBuzz subsetter: {'yes' if render['harfbuzz_subset'] else 'NO (fontTools)'}")
    print(f"render, cold process (imports + first PDF): {render['cold_ms']:.0f} ms")
    print(
        f"render, warm median of {args.renders}: {render['warm_median_ms']:.1f} ms "
        f"(min {render['warm_min_ms']:.1f} ms; CPU time median "
        f"{render['warm_cpu_median_ms']:.1f} ms)"
    )
    print(f"load average before the download runs: {os.getloadavg()[0]:.2f}")
    print(f"PDF size: {render['size_bytes'] / 1024:.1f} KiB")
    download = download_figures(args.requests, args.clients, args.time_limit, args.rounds)
    labels = {
        "bare": "bare Flask page",
        "app_bare": "bare page inside the platform",
        "stored": "stored certificate, session-checked route",
        "signed": "stored certificate, signed link (what the holder's pages show)",
    }
    for name, label in labels.items():
        run = download[name]
        print(
            f"{label}: {run['requests']} requests in {run['seconds']:.1f} s, "
            f"{run['per_second']:.0f} req/s"
        )
    bare = download["bare"]["per_second"]
    print(f"PDF bytes per answer: {download['bytes']}")
    print(f"signed link / bare Flask page: {download['signed']['per_second'] / bare:.2f}")
    print(f"session-checked route / bare Flask page: {download['stored']['per_second'] / bare:.2f}")


if __name__ == "__main__":
    main()
