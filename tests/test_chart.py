"""kg chart targets: a company's price-target history as a PNG or SVG image (matplotlib), read
back here (PNG signature and size, SVG root element and the ids of its series and marks).

The graph is the hand-made one of tests/actions_graph.py.
"""

from __future__ import annotations

import struct
from pathlib import Path
from xml.etree import ElementTree

import pytest
from actions_graph import actions_graph
from typer.testing import CliRunner

from kg.cli import app
from kg.sinks.chart import installed_font, write_target_chart
from kg.sinks.files import write_graph
from kg.target_history import target_history

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def build(tmp_path) -> Path:
    folder = tmp_path / "build"
    write_graph(actions_graph(), folder / "graph.json")
    return folder


def chart(*args):
    return CliRunner().invoke(app, ["chart", "targets", *map(str, args)])


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_ids(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return [e.get("id") for e in root.iter() if e.get("id", "").startswith(("series-", "mark-", "axes_"))]


def test_a_png_of_tsmcs_targets(build, tmp_path):
    out = tmp_path / "tsmc.png"
    result = chart("台積電", build, "--out", out)
    assert result.exit_code == 0, result.output
    assert png_size(out) == (1350, 630)  # 9 × 4.2 inches at 150 dpi: one panel
    assert "wrote " in result.stderr and ": 5 price targets by 3 banks in TWD, 2 rating changes" in result.stderr


def test_an_svg_has_a_series_per_bank_and_the_rating_changes_marked(build, tmp_path):
    out = tmp_path / "tsmc.svg"
    assert chart("TSMC", build, "--out", out).exit_code == 0
    assert svg_ids(out) == ["axes_1", "series-0", "series-1", "series-2", "mark-initiate-0", "mark-downgrade-1"]
    assert chart("TSMC", build, "--out", tmp_path / "again.svg").exit_code == 0
    assert (tmp_path / "again.svg").read_bytes() == out.read_bytes()  # the same graph, the same file


def test_each_currency_gets_a_panel_and_currency_picks_one(build, tmp_path):
    assert chart("阿里巴巴", build, "--out", tmp_path / "both.svg").exit_code == 0
    assert svg_ids(tmp_path / "both.svg") == ["axes_1", "series-0", "axes_2", "series-0"]
    assert chart("BABA", build, "--out", tmp_path / "usd.png", "--currency", "usd").exit_code == 0
    assert png_size(tmp_path / "usd.png") == (1350, 630)
    assert chart("Alibaba", build, "--out", tmp_path / "both.png").exit_code == 0
    assert png_size(tmp_path / "both.png") == (1350, 1080)


def test_format_option_overrides_the_suffix(build, tmp_path):
    out = tmp_path / "chart.img"
    assert chart("TSMC", build, "--out", out, "--format", "svg").exit_code == 0
    assert svg_ids(out)[0] == "axes_1"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["Nvidea", "--out", "x.png"], 2, "no entity is called 'Nvidea'; did you mean Nvidia"),
        (["Goldman Sachs", "--out", "x.png"], 3, "no price target on Goldman Sachs in"),
        (["TSMC", "--out", "x.png", "--currency", "EUR"], 3, "no price target on TSMC in EUR in"),
        (["TSMC", "--out", "x.jpg"], 2, "cannot tell the image format of x.jpg: use a .png or .svg file name"),
    ],
)
def test_what_cannot_be_drawn_is_one_line_and_an_exit_code(build, tmp_path, args, code, message):
    args = [a if a not in ("x.png", "x.jpg") else tmp_path / a for a in args]
    result = chart(args[0], build, *args[1:])
    assert result.exit_code == code
    assert message.replace("x.jpg", str(tmp_path / "x.jpg")) in result.stderr
    assert not list(tmp_path.glob("x.*"))


def test_without_a_build_it_says_to_run_kg_build(tmp_path):
    result = chart("TSMC", tmp_path / "missing", "--out", tmp_path / "x.png")
    assert result.exit_code == 3 and "run kg build first" in result.stderr


def test_without_a_cjk_font_chinese_is_left_out_and_said(build, tmp_path):
    result = chart("台積電", build, "--out", tmp_path / "tsmc.png", "--font", "No Such Font")
    assert result.exit_code == 0 and png_size(tmp_path / "tsmc.png") == (1350, 630)
    assert "warning: the font 'No Such Font' is not installed: drew Price targets: TSMC (台積電) without Chinese" in result.stderr
    graph = actions_graph()  # a bank known only by its Chinese name, with a Latin alias
    for _, data in graph.nodes(data=True):
        if data.get("holder") == "UBS":
            data["holder"] = "瑞银"
    drawn = write_target_chart(target_history(graph, "entity:TSMC"), tmp_path / "zh.svg", latin={"瑞银": "UBS"},
                               cjk_fonts=("No Such Font",))  # fmt: skip
    assert (drawn.font, drawn.unreadable) == (None, ["瑞银"])


def test_with_a_cjk_font_chinese_is_drawn_with_it(tmp_path):
    font = installed_font()
    if font is None:
        pytest.skip("no CJK font installed (scripts/install-browser installs WenQuanYi Micro Hei)")
    drawn = write_target_chart(target_history(actions_graph(), "entity:TSMC"), tmp_path / "zh.png", title="台积电的目标价")
    assert (drawn.font, drawn.unreadable) == (font, [])
