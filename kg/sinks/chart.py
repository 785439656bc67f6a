"""Static price-target charts (``kg chart targets``): a company's target history
(:mod:`kg.target_history`, the same as the side panel of ``kg view`` draws) as a PNG or SVG
image for slides, drawn with matplotlib.

One panel per currency (index levels in points get their own): each bank a line through its
targets in date order, a dashed stem from the target each one replaced, rating changes
marked (▲ upgrade, ▼ downgrade, ◆ new coverage) on the bank's target that day or along the
bottom. Each bank keeps one colour in every panel, in the order of the page's chart.

Chinese names need a CJK font: the first of :data:`CJK_FONTS` that is installed is used for
the characters DejaVu Sans lacks.
Without one, a name with Chinese characters is drawn by its Latin alias when it has one and
left out of the title otherwise, and :class:`ChartResult` says which names were affected, so
the command can say so. SVG text is drawn as paths, so the file shows the same everywhere.
Each series and mark has an SVG id (``series-<n>``, ``mark-<kind>-<n>``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.sinks.files import atomic_output
from kg.target_history import TargetHistory

FORMATS = ("png", "svg")
CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "SimHei", "Droid Sans Fallback", "AR PL UMing CN",
)  # fmt: skip
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
MARKERS = {"upgrade": ("^", "upgrade"), "downgrade": ("v", "downgrade"), "initiate": ("D", "new coverage")}
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\uac00-\ud7af\U00020000-\U0003134f]")


@dataclass
class ChartResult:
    """What was drawn: the file, its format, the counts, the CJK font (or the names left without one)."""

    path: Path
    format: str
    points: int
    banks: int
    currencies: list[str]
    marks: int
    font: str | None = None  # the CJK font used, if one was needed and found
    unreadable: list[str] = field(default_factory=list)  # names with CJK characters drawn without a CJK font


def chart_format(path: Path, fmt: str | None = None) -> str:
    """``png`` or ``svg``: ``fmt`` if given, else the file's suffix; ValueError otherwise.

    >>> chart_format(Path("tsmc.SVG")), chart_format(Path("x"), "png")
    ('svg', 'png')
    """
    found = (fmt or path.suffix.lstrip(".")).lower()
    if found not in FORMATS:
        raise ValueError(f"cannot tell the image format of {path}: use a .png or .svg file name, or --format png|svg")
    return found


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def installed_font(candidates: Sequence[str] = CJK_FONTS) -> str | None:
    """The first of ``candidates`` matplotlib can find on this machine."""
    from matplotlib import font_manager

    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in candidates if name in names), None)


def write_target_chart(
    history: TargetHistory,
    path: Path,
    *,
    fmt: str | None = None,
    title: str | None = None,
    latin: Mapping[str, str] | None = None,
    cjk_fonts: Sequence[str] = CJK_FONTS,
) -> ChartResult:
    """Draw ``history`` into ``path`` (written atomically). ``latin`` maps a name to a Latin
    alias, used for a Chinese name when no CJK font is installed."""
    import matplotlib

    fmt = chart_format(path, fmt)
    title = title or f"Price targets: {history.name}"
    needs = sorted({n for n in (*history.holders, title) if has_cjk(n)})
    font = installed_font(cjk_fonts) if needs else None
    names = {holder: holder for holder in history.holders}
    unreadable: list[str] = []
    if needs and font is None:
        unreadable = needs
        names = {h: (latin or {}).get(h, h) if has_cjk(h) else h for h in history.holders}
        title = _CJK.sub("", title).replace("()", "").strip() or f"Price targets: {history.target.removeprefix('entity:')}"
    # a list of families: matplotlib takes a glyph DejaVu Sans lacks from the next one
    settings = {"svg.hashsalt": "kg", "svg.fonttype": "path", "font.family": ["DejaVu Sans", *([font] if font else [])]}
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        figure = _figure(history, title, names)
        with atomic_output(Path(path), "wb") as out:
            figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None}, dpi=150)
    return ChartResult(Path(path), fmt, len(history.points), len({p.holder for p in history.points}),
                       history.currencies, len(history.marks), font, unreadable)  # fmt: skip


def _figure(history: TargetHistory, title: str, names: Mapping[str, str]):
    from matplotlib.figure import Figure

    currencies = history.currencies
    figure = Figure(figsize=(9, 1.2 + 3.0 * len(currencies)), layout="constrained")
    axes = figure.subplots(len(currencies), 1, squeeze=False, sharex=True)[:, 0]
    colours = {holder: COLOURS[i % len(COLOURS)] for i, holder in enumerate(history.holders)}
    for ax, currency in zip(axes, currencies, strict=True):
        _panel(ax, history, currency, colours)
    figure.suptitle(title, fontsize=14)
    handles, labels = _legend_entries(history, colours, names)
    figure.legend(handles, labels, loc="outside right upper", frameon=False, fontsize=9)
    return figure


def _panel(ax, history: TargetHistory, currency: str, colours: Mapping[str, str]) -> None:
    from matplotlib import dates as mdates

    series = history.series(currency)
    for number, holder in enumerate(history.holders):
        points = series.get(holder, [])
        if not points:
            continue
        days = [date.fromisoformat(p.date) for p in points]
        colour = colours[holder]
        (line,) = ax.plot(days, [p.price for p in points], marker="o", color=colour, linewidth=1.8, markersize=5)
        line.set_gid(f"series-{number}")
        for day, point in zip(days, points, strict=True):
            if point.previous is not None:
                ax.vlines(day, point.previous, point.price, colors=colour, linestyles="dashed", linewidth=1)
                ax.plot([day], [point.previous], marker="o", markersize=4, markerfacecolor="white", color=colour)
    for number, mark in enumerate(history.marks):
        at = [p.price for p in series.get(mark.holder, []) if p.date == mark.date]
        marker, _ = MARKERS.get(mark.action, ("D", mark.action))
        day = date.fromisoformat(mark.date)
        where = {"transform": ax.get_xaxis_transform()} if not at else {}
        (made,) = ax.plot([day], [at[0] if at else 0.05], linestyle="none", marker=marker, markersize=10,
                          color=colours[mark.holder], markeredgecolor="#333333", **where)  # fmt: skip
        made.set_gid(f"mark-{mark.action}-{number}")
    ax.set_ylabel(currency)
    ax.grid(True, color="#e6e6e6")
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.margins(x=0.08, y=0.15)


def _legend_entries(history: TargetHistory, colours: Mapping[str, str], names: Mapping[str, str]):
    from matplotlib.lines import Line2D

    handles, labels = [], []
    for holder in history.holders:
        handles.append(Line2D([], [], color=colours[holder], marker="o", linewidth=1.8))
        labels.append(names.get(holder, holder))
    for kind in sorted({m.action for m in history.marks}, key=list(MARKERS).index):
        marker, label = MARKERS[kind]
        handles.append(Line2D([], [], linestyle="none", marker=marker, color="#bbbbbb", markeredgecolor="#333333"))
        labels.append(label)
    if any(p.previous is not None for p in history.points):
        handles.append(Line2D([], [], color="#777777", linestyle="dashed"))
        labels.append("from the target replaced")
    return handles, labels
