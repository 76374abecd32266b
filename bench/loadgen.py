"""A small bounded load generator for loopback benchmarks: threads, http.client, no keep-alive.

Every run stops at a request cap or a time limit, whichever comes first, and only connects
to 127.0.0.1.
"""

import http.client
import itertools
import math
import socket
import statistics
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Client:
    """One browser-like client on loopback; keeps cookies only when asked to."""

    port: int
    keep_cookies: bool = False
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            result = Response(response.status, dict(response.getheaders()), response.read())
            if self.keep_cookies:
                for header in response.headers.get_all("Set-Cookie") or ():
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
            return result
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, urlencode(form).encode(), headers)

    def timed_get(self, path: str) -> float:
        began = time.perf_counter()
        response = self.get(path)
        elapsed = time.perf_counter() - began
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return elapsed


@dataclass
class Result:
    latencies: list[float]
    seconds: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


@dataclass
class BoundedLoad:
    clients: int
    seconds: float
    max_requests: int
    warmup_seconds: float = 1.0

    def run(self, port: int, action, keep_cookies: bool = False, seconds=None) -> Result:
        """Warm up, then run `action(client, n)` (returns a latency) from every client thread."""
        self._run(port, action, keep_cookies, self.warmup_seconds, self.max_requests)
        return self._run(port, action, keep_cookies, seconds or self.seconds, self.max_requests)

    def repeat(self, port: int, action, requests: int, keep_cookies: bool = False) -> Result:
        """Run `action` exactly `requests` times over all clients, however long it takes."""
        return self._run(port, action, keep_cookies, float("inf"), requests)

    def alternate(self, first, second, rounds: int = 6):
        """Run two (port, action) loads in turns, so that a change in the machine's other
        load weighs on both alike; each gets `seconds` in all. Returns both results and the
        median over turns of second's rate ÷ first's."""
        turns = ([], [])
        for port, action in (first, second):
            self._run(port, action, False, self.warmup_seconds, self.max_requests)
        for _ in range(rounds):
            for index, (port, action) in enumerate((first, second)):
                turn = self._run(port, action, False, self.seconds / rounds, self.max_requests)
                turns[index].append(turn)
        merged = tuple(
            Result([x for r in parts for x in r.latencies], sum(r.seconds for r in parts))
            for parts in turns
        )
        ratios = sorted(b.rate / a.rate for a, b in zip(*turns, strict=True))
        return merged[0], merged[1], statistics.median(ratios)

    def _run(self, port, action, keep_cookies, seconds, cap) -> Result:
        numbers, lock, latencies, errors = itertools.count(), threading.Lock(), [], []
        deadline = time.monotonic() + seconds

        def worker():
            client = Client(port, keep_cookies)
            while time.monotonic() < deadline:
                with lock:
                    n = next(numbers)
                if n >= cap:
                    return
                try:
                    latency = action(client, n)
                except Exception as error:  # reported after the run, never hidden
                    errors.append(error)
                    return
                with lock:
                    latencies.append(latency)

        threads = [threading.Thread(target=worker) for _ in range(self.clients)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise RuntimeError(f"{len(errors)} client(s) failed: {errors[0]!r}")
        return Result(latencies, time.monotonic() - began)
