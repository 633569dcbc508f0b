"""Charts as inline SVG, made at build time: pure functions from numbers to markup, no JavaScript.

Every chart is a ``<figure>``: a title (``figcaption``), a short text saying what the chart shows,
the drawing (``role="img"``, named by the title and described by that text) and the same numbers
as a real table beside it, for screen readers, for copying and for anyone who prefers reading
numbers to comparing lengths. Numbers are formatted with Babel for the page's language (Latin
digits in Arabic too) and are the same strings in the drawing and in the table.

Direction: bar and share charts mirror in right-to-left languages (bars grow from the right, under
right-aligned labels); the tile map does not, since it is a map. Coordinates are computed for
left-to-right and mirrored (``x → WIDTH - x``); with the SVG's ``direction`` set, the same
``text-anchor`` keywords then anchor each label on the mirrored side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_percent
from markupsafe import Markup, escape

from . import i18n
from .models.common import direction

WIDTH = 400  # viewBox units; the SVG scales to its column, so text stays legible on a phone
INK = "#1f1a17"  # the theme's text colour
MUTED = "#5c534c"  # 7.4:1 on the page
BAR = "#9a3f1e"  # the theme's terracotta: 6.7:1 on the page (WCAG 1.4.11 asks 3:1)
SHARE = "#1f5e4b"  # green: 6.6:1 on the track
TRACK = "#f6eee1"
TRACK_EDGE = "#7d6f63"  # 4.2:1 on the track, 4.8:1 on the page
PAPER = "#fffdf9"
WHITE = "#ffffff"
# Tile map classes, light to dark (terracotta). Text on each is ink or white, whichever
# contrasts more (every pair is above 4.5:1; tests/test_stats.py checks it).
PALETTE = ("#fbe6d9", "#f2bd9f", "#df8c62", "#b4552c", "#7a2f14")
TILE_EDGE = MUTED

# Bar chart rows: a label line, then the bar with its value after it.
BAR_ROW = 50
BAR_TOP = 24  # from the row's top to the bar
BAR_HEIGHT = 16
VALUE_SPACE = 76  # room after the longest bar for its value
BAR_SPACE = WIDTH - VALUE_SPACE
# Share rows: label and percentage, the track, then "part of whole".
SHARE_ROW = 66
SHARE_TOP = 22
SHARE_HEIGHT = 14

# The schematic map: one tile per region of the 2015 division, by ISO 3166-2 code, placed
# (column, row) roughly as the regions lie: the coast runs from Tangier down to Dakhla, the
# Oriental and Drâa-Tafilalet are inland. No boundary data is needed (or downloaded).
TILE_W = 80
TILE_H = 64
TILE_GAP = 3
TILE_COLUMNS = 5
TILES: dict[str, tuple[int, int]] = {
    "MA-01": (3, 0),  # Tanger-Tétouan-Al Hoceïma
    "MA-04": (2, 1),  # Rabat-Salé-Kénitra
    "MA-03": (3, 1),  # Fès-Meknès
    "MA-02": (4, 1),  # L'Oriental
    "MA-06": (1, 2),  # Casablanca-Settat
    "MA-05": (2, 2),  # Béni Mellal-Khénifra
    "MA-07": (1, 3),  # Marrakech-Safi
    "MA-08": (2, 3),  # Drâa-Tafilalet
    "MA-10": (0, 4),  # Guelmim-Oued Noun
    "MA-09": (1, 4),  # Souss-Massa
    "MA-11": (0, 5),  # Laâyoune-Sakia El Hamra
    "MA-12": (0, 6),  # Dakhla-Oued Ed-Dahab
}
TILE_ROWS = 7
# The legend sits in the empty south-east of the grid (columns 2–4, rows 4–6).
LEGEND_X = 2 * TILE_W + 16
LEGEND_Y = 4 * TILE_H + 8
LEGEND_ROW = 22
SWATCH = 16


@dataclass(frozen=True)
class Datum:
    """One bar or tile: its label, its value, and for tiles the ISO code and a short label."""

    label: str
    value: int
    key: str = ""  # tile map: the region's ISO 3166-2 code
    short: str = ""  # tile map: the text that fits on a tile (the region's seat)
    href: str = ""  # the table links the label here


@dataclass(frozen=True)
class Share:
    """A part of a whole (women among members): drawn as a filled part of a full-width track."""

    label: str
    part: int
    whole: int


@dataclass(frozen=True)
class ChartText:
    """What a chart says in words, in the page's language. ``id`` must be unique on the page."""

    id: str
    title: str
    description: str
    caption: str  # the table's caption
    headers: tuple[str, ...]  # the table's column headers


# -- numbers -------------------------------------------------------------------------------------


def share_of(part: int, whole: int) -> Decimal:
    """part / whole to a tenth of a percent, rounded half up (never a float)."""
    if whole <= 0:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int, lang: str) -> str:
    """The share in the locale's percent format with at most one decimal, like "34,5 %"."""
    return format_percent(
        share_of(part, whole), locale=i18n.LOCALES[lang], decimal_quantization=False
    )


def _n(x: float) -> str:
    """A coordinate, short and stable: 12, 12.5, 12.34."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def bar_length(value: int, largest: int) -> float:
    return 0.0 if largest <= 0 else round(value / largest * BAR_SPACE, 2)


# -- markup helpers ------------------------------------------------------------------------------


def _text(x: float, y: float, content: str, *, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(v)}"' for name, v in attrs.items()
    )
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def _svg(text: ChartText, height: float, lang: str, body: Iterable[str], kind: str) -> str:
    ident = escape(text.id)
    return (
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" '
        f'height="{_n(height)}" role="img" aria-labelledby="{ident}-title" '
        f'aria-describedby="{ident}-desc" direction="{direction(lang)}" '
        f'font-size="14" fill="{INK}" data-chart="{kind}">'
        f"<title>{escape(text.title)}</title><desc>{escape(text.description)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def _table(text: ChartText, rows: Iterable[Sequence[str | Markup]], numbers_from: int = 1) -> str:
    """The chart's data; columns from ``numbers_from`` on hold numbers (aligned to the end)."""

    def cls(column: int) -> str:
        return ' class="num"' if column >= numbers_from else ""

    head = "".join(f'<th scope="col"{cls(i)}>{escape(h)}</th>' for i, h in enumerate(text.headers))
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td{cls(i)}>{escape(cell)}</td>" for i, cell in enumerate(row[1:], 1))
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="table chart-table"><caption>{escape(text.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _figure(text: ChartText, kind: str, svg: str, table: str) -> Markup:
    ident = escape(text.id)
    return Markup(
        f'<figure class="chart chart-{kind}" id="{ident}">'
        f'<figcaption id="{ident}-title">{escape(text.title)}</figcaption>'
        f'<p class="chart-desc" id="{ident}-desc">{escape(text.description)}</p>'
        f'<div class="chart-body">{svg}{table}</div></figure>'
    )


def _label(datum: Datum) -> Markup:
    if datum.href:
        return Markup('<a href="{}">{}</a>').format(datum.href, datum.label)
    return escape(datum.label)


# -- the charts ----------------------------------------------------------------------------------


def bar_chart(text: ChartText, data: Sequence[Datum], lang: str) -> Markup:
    """Horizontal bars, one per datum in the given order, lengths proportional to the values
    (the largest fills the width). A zero is a value, not a missing one: it has no bar but
    shows its 0."""
    rtl = direction(lang) == "rtl"

    def x(at: float) -> float:
        return WIDTH - at if rtl else at

    largest = max((d.value for d in data), default=0)
    body: list[str] = []
    for i, datum in enumerate(data):
        top = i * BAR_ROW
        length = bar_length(datum.value, largest)
        start = WIDTH - length if rtl else 0.0
        shown = i18n.number(datum.value, lang)
        body.append(_text(x(0), top + 17, datum.label, font_size="15", class_="chart-label"))
        body.append(
            f'<rect x="{_n(start)}" y="{top + BAR_TOP}" width="{_n(length)}" '
            f'height="{BAR_HEIGHT}" fill="{BAR}" data-value="{datum.value}"/>'
        )
        body.append(
            _text(
                x(length + 6),
                top + BAR_TOP + BAR_HEIGHT - 3,
                shown,
                anchor="start",
                class_="chart-value",
                font_weight="700",
            )
        )
    svg = _svg(text, len(data) * BAR_ROW, lang, body, "bars")
    rows = [(_label(d), i18n.number(d.value, lang)) for d in data]
    return _figure(text, "bars", svg, _table(text, rows))


def share_chart(text: ChartText, shares: Sequence[Share], lang: str, of: str) -> Markup:
    """Each part of its whole as a filled part of a full-width track (parts may overlap, as women
    and young members do, so they are not stacked). ``of`` is the UI string for "{part} of
    {whole}"."""
    rtl = direction(lang) == "rtl"

    def x(at: float) -> float:
        return WIDTH - at if rtl else at

    body: list[str] = []
    rows: list[tuple[str, str, str, str]] = []
    for i, share in enumerate(shares):
        top = i * SHARE_ROW
        fraction = share_of(share.part, share.whole)
        filled = round(float(fraction) * WIDTH, 2)
        shown = percent(share.part, share.whole, lang)
        part = i18n.number(share.part, lang)
        whole = i18n.number(share.whole, lang)
        body.append(_text(x(0), top + 15, share.label, font_size="15", class_="chart-label"))
        body.append(_text(x(WIDTH), top + 15, shown, anchor="end", font_weight="700"))
        body.append(
            f'<rect x="0.5" y="{top + SHARE_TOP}" width="{WIDTH - 1}" height="{SHARE_HEIGHT}" '
            f'fill="{TRACK}" stroke="{TRACK_EDGE}"/>'
        )
        body.append(
            f'<rect x="{_n(WIDTH - filled if rtl else 0)}" y="{top + SHARE_TOP}" '
            f'width="{_n(filled)}" height="{SHARE_HEIGHT}" fill="{SHARE}" '
            f'data-part="{share.part}" data-whole="{share.whole}"/>'
        )
        body.append(
            _text(
                x(0),
                top + SHARE_TOP + SHARE_HEIGHT + 17,
                of.format(part=part, whole=whole),
                fill=MUTED,
                font_size="13",
            )
        )
        rows.append((share.label, shown, part, whole))
    svg = _svg(text, len(shares) * SHARE_ROW, lang, body, "shares")
    return _figure(text, "shares", svg, _table(text, rows))


def classes(largest: int, count: int = len(PALETTE)) -> list[tuple[int, int]]:
    """Equal-interval classes over 1..largest, as (lowest, highest) values, at most ``count``,
    never empty: 1–2, 3–4, … A value's class is the first whose highest it does not exceed."""
    k = min(count, largest)
    return [((i - 1) * largest // k + 1, i * largest // k) for i in range(1, k + 1)]


def class_of(value: int, bounds: Sequence[tuple[int, int]]) -> int:
    """The index in ``bounds`` of the class holding ``value`` (> 0)."""
    return next(i for i, (_, high) in enumerate(bounds) if value <= high)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(fill: str) -> str:
    """The text colour (ink or white) that reads best on ``fill``."""
    return INK if contrast(INK, fill) >= contrast(WHITE, fill) else WHITE


def tile_map(text: ChartText, data: Sequence[Datum], lang: str, legend_title: str) -> Markup:
    """A schematic map of the regions: one tile each, shaded by value class, with the region's
    short name and value written on it and a legend of the classes. Regions whose code is not in
    ``TILES`` get tiles in extra rows below, so no value is ever left out of the drawing."""
    rtl = direction(lang) == "rtl"
    largest = max((d.value for d in data), default=0)
    bounds = classes(largest) if largest > 0 else []
    extra = [d for d in data if d.key not in TILES]
    rows = TILE_ROWS + -(-len(extra) // TILE_COLUMNS)
    places = {d.key: TILES[d.key] for d in data if d.key in TILES}
    body: list[str] = []
    for n, datum in enumerate(data):
        column, row = places.get(datum.key) or (
            n % TILE_COLUMNS,
            TILE_ROWS + extra.index(datum) // TILE_COLUMNS,
        )
        left, top = column * TILE_W + TILE_GAP / 2, row * TILE_H + TILE_GAP / 2
        if datum.value > 0:
            fill, dash = PALETTE[class_of(datum.value, bounds)], ""
        else:
            fill, dash = PAPER, ' stroke-dasharray="4 3"'
        ink = ink_on(fill)
        middle = left + (TILE_W - TILE_GAP) / 2
        body.append(
            f'<g data-region="{escape(datum.key)}"><title>{escape(datum.label)}</title>'
            f'<rect x="{_n(left)}" y="{_n(top)}" width="{TILE_W - TILE_GAP}" '
            f'height="{TILE_H - TILE_GAP}" rx="4" fill="{fill}" stroke="{TILE_EDGE}"{dash}/>'
            + _text(
                middle,
                top + 23,
                datum.short or datum.label,
                anchor="middle",
                fill=ink,
                font_size="13",
                class_="chart-label",
            )
            + _text(
                middle,
                top + 48,
                i18n.number(datum.value, lang),
                anchor="middle",
                fill=ink,
                font_size="19",
                font_weight="700",
                class_="chart-value",
            )
            + "</g>"
        )
    body.extend(_legend(bounds, any(d.value == 0 for d in data), legend_title, lang, rtl))
    svg = _svg(text, rows * TILE_H, lang, body, "map")
    table_rows = [(_label(d), d.short, i18n.number(d.value, lang)) for d in data]
    return _figure(text, "map", svg, _table(text, table_rows, numbers_from=2))


def _legend(
    bounds: Sequence[tuple[int, int]], zero: bool, title: str, lang: str, rtl: bool
) -> list[str]:
    """The classes, darkest last, in the map's empty south-east; mirrored in right-to-left."""
    left, right = LEGEND_X, WIDTH - 4
    swatch_x = right - SWATCH if rtl else left
    text_x = swatch_x - 6 if rtl else left + SWATCH + 6
    items: list[tuple[str, str, str]] = [(PAPER, ' stroke-dasharray="4 3"', "0")] if zero else []
    for (low, high), fill in zip(bounds, PALETTE, strict=False):
        label = i18n.number(low, lang)
        if high != low:
            label += "–" + i18n.number(high, lang)
        items.append((fill, "", label))
    out = [
        '<g class="chart-legend">',
        _text(right if rtl else left, LEGEND_Y + 12, title, font_weight="700"),
    ]
    for i, (fill, dash, label) in enumerate(items):
        top = LEGEND_Y + 22 + i * LEGEND_ROW
        out.append(
            f'<rect x="{_n(swatch_x)}" y="{top}" width="{SWATCH}" height="{SWATCH}" '
            f'fill="{fill}" stroke="{TILE_EDGE}"{dash}/>'
        )
        out.append(_text(text_x, top + 13, label, font_size="13"))
    out.append("</g>")
    return out
