"""The certificate's QR code, drawn as vector rectangles into the PDF page.

segno computes the modules; each horizontal run of dark modules becomes one filled
rectangle written into the page's content stream, at the box the template reserves
(an element with id="qr"). Inline SVG drew the same code through WeasyPrint's SVG
renderer at about half the cost of a whole certificate (some 2,400 path commands parsed one
by one); this writes the same vector shapes in about a millisecond. It uses WeasyPrint's
documented `finisher` hook, called after the pages are painted, and the page's `anchors`.
"""

import itertools

import segno

SLOT_ID = "qr"
ERROR_LEVEL = "m"
CSS_PX_TO_PT = 0.75  # 72 points per inch / 96 CSS pixels per inch


def dark_runs(text: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The module count per side and (column, row, length) of every horizontal dark run."""
    rows = list(segno.make(text, error=ERROR_LEVEL, micro=False).matrix_iter(border=0))
    runs = []
    for y, row in enumerate(rows):
        x = 0
        for dark, group in itertools.groupby(row):
            length = len(list(group))
            if dark:
                runs.append((x, y, length))
            x += length
    return len(rows), runs


def drawing(text: str, left: float, top: float, side: float) -> bytes:
    """PDF operators filling the QR code's dark modules in black, in CSS pixels."""
    size, runs = dark_runs(text)
    module = side / size
    operators = [f"q {CSS_PX_TO_PT} 0 0 {CSS_PX_TO_PT} 0 0 cm 0 0 0 rg"]
    operators += [
        f"{left + x * module:.3f} {top + y * module:.3f} {length * module:.3f} {module:.3f} re"
        for x, y, length in runs
    ]
    operators.append("f Q")
    return "\n".join(operators).encode("ascii")


class QrFinisher:
    """Draws the QR code of `text` over the first page's slot once WeasyPrint has painted it."""

    def __init__(self, text: str):
        self.text = text

    def __call__(self, document, pdf) -> None:
        left, top, right, _bottom = document.pages[0].anchors[SLOT_ID][:4]
        page = next(obj for obj in pdf.objects if _is_page(obj))
        stream = pdf.objects[_object_number(page["Contents"])]
        # WeasyPrint leaves the page in PDF points with y pointing down (top-left origin).
        stream.stream.append(drawing(self.text, left, top, right - left))


def _object_number(reference) -> int:
    """The object number of a pydyf reference such as b"6 0 R"."""
    text = reference.decode("ascii") if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def _is_page(obj) -> bool:
    return isinstance(obj, dict) and obj.get("Type") == "/Page"
