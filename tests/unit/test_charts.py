import xml.etree.ElementTree as ET

from lms.reports.charts import MAX_LABEL_CHARS, Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_one_bar_per_row_with_widths_proportional_to_the_percentage():
    root = _parse(bar_chart([Bar("Thôn A", 50), Bar("Thôn B", 100), Bar("Thôn C", 0)], "Tỉ lệ"))
    bars = root.findall(f"{SVG}g")
    assert len(bars) == 3
    widths = [float(g.findall(f"{SVG}rect")[1].get("width")) for g in bars]
    assert widths[1] == 2 * widths[0] and widths[2] == 0
    assert root.find(f"{SVG}title").text == "Tỉ lệ"
    assert root.get("role") == "img"


def test_names_are_escaped_and_long_names_shortened_with_the_full_name_in_the_tooltip():
    name = '<script>alert("x")</script> Thôn có tên rất dài ở vùng cao'
    svg = bar_chart([Bar(name, 33.3)], "Biểu đồ & số liệu")
    assert "<script>" not in svg
    root = _parse(svg)
    group = root.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text == f"{name}: 33,3\u00a0%"
    label = group.findall(f"{SVG}text")[0].text
    assert label.endswith("…") and len(label) <= MAX_LABEL_CHARS


def test_percentages_follow_the_locale_and_every_text_is_at_least_14_units():
    root = _parse(bar_chart([Bar("Thôn A", 15.6)], "x", locale="en"))
    texts = root.find(f"{SVG}g").findall(f"{SVG}text")
    assert texts[1].text == "15.6%"
    assert all(float(text.get("font-size")) >= 14 for text in texts)
    assert _parse(bar_chart([Bar("A", 15.6)], "x")).find(f"{SVG}g")[4].text == "15,6\u00a0%"


def test_values_outside_0_to_100_are_clamped_and_the_threshold_drawn():
    root = _parse(bar_chart([Bar("A", 140), Bar("B", -5)], "x", threshold=40))
    widths = [float(g.findall(f"{SVG}rect")[1].get("width")) for g in root.findall(f"{SVG}g")]
    full = float(root.find(f"{SVG}g").findall(f"{SVG}rect")[0].get("width"))
    assert widths == [full, 0.0]
    line = root.find(f"{SVG}line")
    assert line is not None and line.get("class") == "threshold"


def test_an_empty_chart_is_still_valid_svg():
    root = _parse(bar_chart([], "Không có dòng"))
    assert root.findall(f"{SVG}g") == []
