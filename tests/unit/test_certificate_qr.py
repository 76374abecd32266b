"""The QR code's dark runs rebuild exactly the modules segno computed."""

import segno

from lms.certificates.qr import dark_runs, drawing

URL = "https://hocso.example.vn/verify/K7M2QX9PTR4W#1.SGVsbG8.c2lnbmF0dXJl"


def test_runs_cover_exactly_the_dark_modules():
    size, runs = dark_runs(URL)
    matrix = [list(row) for row in segno.make(URL, error="m", micro=False).matrix_iter(border=0)]
    rebuilt = [[0] * size for _ in range(size)]
    for x, y, length in runs:
        for column in range(x, x + length):
            assert rebuilt[y][column] == 0  # runs never overlap
            rebuilt[y][column] = 1
    assert rebuilt == [[int(bool(module)) for module in row] for row in matrix]


def test_drawing_fills_one_rectangle_per_run_inside_the_slot():
    size, runs = dark_runs(URL)
    operators = drawing(URL, left=100.0, top=50.0, side=size * 2.0).decode().splitlines()
    rectangles = [line.split() for line in operators if line.endswith(" re")]
    assert len(rectangles) == len(runs)
    assert operators[0].startswith("q ") and operators[-1] == "f Q"
    for x, y, width, height, _ in rectangles:
        assert float(x) >= 100.0 and float(x) + float(width) <= 100.0 + size * 2.0 + 1e-6
        assert float(y) >= 50.0 and float(height) == 2.0
