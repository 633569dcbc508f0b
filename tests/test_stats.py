"""The sector in figures (/<lang>/stats/): the published figures with their source and date, and the
catalogue's charts (generator/charts.py), each drawn as inline SVG with the same numbers in a table
beside it, mirrored in Arabic except for the map, and accessible without JavaScript."""

from __future__ import annotations

import itertools
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser, LexborNode

from bench import budgets
from generator import charts, i18n
from generator.build import BuildResult, build
from generator.charts import ChartText, Datum, Share
from generator.cli import main
from generator.stats import catalogue_figures
from generator.theme import DEFAULT_THEME

from .conftest import SAMPLE_CONTENT
from .quality.checkers import axe_violations, format_violations, serve_directory

LANGS = ("ar", "fr")
FIGURES_FILE = SAMPLE_CONTENT / "data" / "sector_figures.yaml"
# The seed figures (end of November 2025) and the source domain.md names for them.
SEED = {
    "cooperatives": 65315,
    "members": 788969,
    "women-members": 272583,
    "youth-members": 18036,
    "jobs-created": 24558,
}
SOURCE = "https://lematin.ma/economie/une-nouvelle-trajectoire-pour-le-developpement-du-secteur-cooperatif/320641"
SPACES = re.compile(r"[\s\u00a0\u202f\u200e\u200f]+")


def norm(text: str) -> str:
    """Babel's output with its no-break spaces and direction marks made plain (domain.md §2)."""
    return SPACES.sub(" ", text).strip()


def page(output: Path, lang: str) -> LexborHTMLParser:
    return LexborHTMLParser((output / lang / "stats" / "index.html").read_text(encoding="utf-8"))


def text_of(node: LexborNode | None) -> str:
    assert node is not None
    return norm(node.text())


def attr(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    assert value is not None, (name, node.html)
    return value


def parse(markup: str) -> LexborHTMLParser:
    return LexborHTMLParser(f"<!doctype html><html><body>{markup}</body></html>")


def svg_texts(figure: LexborNode) -> list[str]:
    return [text_of(t) for t in figure.css("svg text")]


def table_numbers(figure: LexborNode) -> list[str]:
    return [text_of(td) for td in figure.css("table td.num")]


def chart_text(ident: str = "c", headers: tuple[str, ...] = ("Région", "Nombre")) -> ChartText:
    return ChartText(ident, "Titre", "Description du graphique.", "Données", headers)


# -- charts, as pure functions -------------------------------------------------------------------

DATA = [Datum("Souss-Massa", 10), Datum("Oriental", 5), Datum("Dakhla", 0), Datum("Fès", 2)]


def bars(markup: str) -> list[tuple[float, float, int]]:
    """(x, width, value) of each bar."""
    return [
        (float(attr(r, "x")), float(attr(r, "width")), int(attr(r, "data-value")))
        for r in parse(markup).css("svg rect")
    ]


def test_bar_lengths_are_proportional_to_the_values() -> None:
    found = bars(charts.bar_chart(chart_text(), DATA, "fr"))
    assert [v for _, _, v in found] == [10, 5, 0, 2]
    widths = {v: w for _, w, v in found}
    assert widths[10] == charts.BAR_SPACE  # the largest fills the width
    assert widths[0] == 0
    for value in (5, 2):
        assert widths[value] / value == pytest.approx(widths[10] / 10, rel=1e-3)


def test_bars_grow_from_the_right_in_arabic_and_from_the_left_in_french() -> None:
    for x, width, value in bars(charts.bar_chart(chart_text(), DATA, "ar")):
        assert x + width == pytest.approx(charts.WIDTH), value
    for x, _, value in bars(charts.bar_chart(chart_text(), DATA, "fr")):
        assert x == 0, value
    arabic = parse(charts.bar_chart(chart_text(), DATA, "ar"))
    svg = arabic.css_first("svg")
    assert svg is not None and attr(svg, "direction") == "rtl"
    labels = arabic.css("svg text.chart-label")
    assert {attr(t, "x") for t in labels} == {str(charts.WIDTH)}  # labels on the right
    values = arabic.css("svg text.chart-value")
    for text, (x, _, _) in zip(values, bars(svg.html or ""), strict=True):
        assert float(attr(text, "x")) < x  # each value is left of its bar's end


@pytest.mark.parametrize("lang", LANGS)
def test_the_drawing_and_the_table_hold_the_same_numbers(lang: str) -> None:
    figure = parse(charts.bar_chart(chart_text(), DATA, lang)).css_first("figure")
    assert figure is not None
    values = [text_of(t) for t in figure.css("svg text.chart-value")]
    assert values == table_numbers(figure) == [norm(i18n.number(d.value, lang)) for d in DATA]
    shares = [Share("Femmes", 272583, 788969), Share("Jeunes", 18036, 788969)]
    headers = ("Groupe", "Part", "Nombre", "Total")
    figure = parse(charts.share_chart(chart_text("s", headers), shares, lang, "{part}/{whole}"))
    figure = figure.css_first("figure")
    assert figure is not None
    drawn = " ".join(svg_texts(figure))
    numbers = table_numbers(figure)
    assert len(numbers) == 6
    for number in numbers:
        assert number in drawn


def test_share_chart_fills_each_track_to_its_share() -> None:
    shares = [Share("Femmes", 272583, 788969), Share("Jeunes", 18036, 788969)]
    tree = parse(charts.share_chart(chart_text("s"), shares, "fr", "{part}/{whole}"))
    fills = tree.css("svg rect[data-part]")
    assert [float(attr(r, "width")) for r in fills] == [138.0, 9.2]  # 34.5 % and 2.3 % of 400
    assert "34,5 %" in norm(tree.text()) and "2,3 %" in norm(tree.text())
    arabic = parse(charts.share_chart(chart_text("s"), shares, "ar", "{part}/{whole}"))
    for rect in arabic.css("svg rect[data-part]"):
        assert float(attr(rect, "x")) + float(attr(rect, "width")) == charts.WIDTH


def test_percentages_have_one_decimal_and_no_float() -> None:
    assert norm(charts.percent(272583, 788969, "fr")) == "34,5 %"
    assert norm(charts.percent(18036, 788969, "ar")) == "2,3%"
    assert norm(charts.percent(1, 2, "fr")) == "50 %"
    assert norm(charts.percent(0, 0, "fr")) == "0 %"
    assert str(charts.share_of(1, 3)) == "0.333"


def test_classes_cover_every_value_once() -> None:
    assert charts.classes(7) == [(1, 1), (2, 2), (3, 4), (5, 5), (6, 7)]
    assert charts.classes(2) == [(1, 1), (2, 2)]
    for largest in range(1, 60):
        bounds = charts.classes(largest)
        assert bounds[0][0] == 1 and bounds[-1][1] == largest
        for (_, high), (low, _) in itertools.pairwise(bounds):
            assert low == high + 1
        for value in range(1, largest + 1):
            low, high = bounds[charts.class_of(value, bounds)]
            assert low <= value <= high


def test_colours_meet_wcag_aa() -> None:
    for fill in (*charts.PALETTE, charts.PAPER):
        assert charts.contrast(charts.ink_on(fill), fill) >= 4.5, fill
    assert charts.contrast(charts.BAR, charts.PAPER) >= 3  # graphics: 3:1 (WCAG 1.4.11)
    assert charts.contrast(charts.SHARE, charts.TRACK) >= 3
    assert charts.contrast(charts.TRACK_EDGE, charts.PAPER) >= 3
    assert charts.contrast(charts.TILE_EDGE, charts.PAPER) >= 3
    assert charts.contrast(charts.INK, charts.PAPER) >= 4.5
    assert charts.contrast(charts.MUTED, charts.PAPER) >= 4.5


def test_text_is_escaped() -> None:
    evil = [Datum('<script>alert("x")</script>', 3, href="/fr/regions/x/?a=1&b=2")]
    markup = str(charts.bar_chart(chart_text('a"b'), evil, "fr"))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup and "&amp;b=2" in markup and 'id="a&#34;b"' in markup


def region_data() -> list[Datum]:
    """The sample site's 12 regions, with values 1 to 12 in their order."""
    regions = yaml.safe_load((SAMPLE_CONTENT / "data" / "regions.yaml").read_text(encoding="utf-8"))
    return [
        Datum(g["name"]["fr"], n + 1, key=g["iso_3166_2"], short=g["seat"]["fr"])
        for n, g in enumerate(sorted(regions, key=lambda g: g["order"]))
    ]


def test_tile_map_places_twelve_regions_without_mirroring() -> None:
    data = region_data()
    assert len(data) == 12
    places: dict[str, list[tuple[str, str]]] = {}
    for lang in LANGS:
        tree = parse(charts.tile_map(chart_text("m"), data, lang, "Coopératives"))
        tiles = tree.css("svg g[data-region]")
        assert len(tiles) == 12
        places[lang] = []
        for tile in tiles:
            rect = tile.css_first("rect")
            assert rect is not None
            places[lang].append((attr(rect, "x"), attr(rect, "y")))
        assert len(set(places[lang])) == 12  # no two regions on one tile
        assert {attr(t, "data-region") for t in tiles} == set(charts.TILES)
        assert len(tree.css(".chart-legend rect")) == len(charts.classes(12))
    assert places["ar"] == places["fr"]  # a map is never mirrored
    # Darker means more: the tile of the largest value has the last colour.
    tree = parse(charts.tile_map(chart_text("m"), data, "fr", "Coopératives"))
    top = tree.css_first('svg g[data-region="MA-12"] rect')
    assert top is not None and attr(top, "fill") == charts.PALETTE[-1]


def test_tile_map_keeps_regions_it_cannot_place() -> None:
    data = [Datum("Souss-Massa", 3, key="MA-09"), Datum("Atlantis", 1, key="XX-01")]
    tree = parse(charts.tile_map(chart_text("m"), data, "fr", "n"))
    assert len(tree.css("svg g[data-region]")) == 2
    zero = parse(charts.tile_map(chart_text("m"), [Datum("Dakhla", 0, key="MA-12")], "fr", "n"))
    assert [text_of(t) for t in zero.css(".chart-legend text")] == ["n", "0"]


# -- the data file ---------------------------------------------------------------------------------


def test_the_data_file_holds_the_seed_figures_with_their_source() -> None:
    entries = yaml.safe_load(FIGURES_FILE.read_text(encoding="utf-8"))
    found = {e["id"]: e for e in entries}
    assert {k: found[k]["value"] for k in SEED} == SEED
    for entry in entries:
        assert entry["as_of"] == date(2025, 11, 30)
        assert entry["source"]["url"] == SOURCE
        assert entry["source"]["name"] == "Le Matin"
    assert found["women-members"]["part_of"] == "members"


def write_figures(content: Path, text: str) -> None:
    (content / "data" / "sector_figures.yaml").write_text(text, encoding="utf-8")


FIGURE = """\
- id: members
  label: {{ar: "الأعضاء", fr: "Membres"}}
  value: {members}
  unit: {{ar: "عضو", fr: "membres"}}
  as_of: {as_of}
  source: {{name: "Le Matin", url: "https://lematin.ma/x"}}
- id: women
  label: {{ar: "النساء", fr: "Femmes"}}
  value: 30
  unit: {{ar: "امرأة", fr: "femmes"}}
  as_of: 2025-11-30
  source: {{name: "Le Matin", url: "{url}"}}
  part_of: {part_of}
"""


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"members": "20", "part_of": "members"},
            "content/data/sector_figures.yaml:9:3: 30 is larger than `members` (20), which it is "
            "part of — check both numbers against the source",
        ),
        (
            {"part_of": "member"},
            "content/data/sector_figures.yaml:13:3: `part_of` names `member`, which is not another "
            "figure of this file — did you mean `members`?",
        ),
        (
            {"members": '"65,315"'},
            "content/data/sector_figures.yaml:3:3: `value`: `65,315` is written with "
            "thousands separators — write the digits only, like 65315",
        ),
        (
            {"url": "lematin.ma/x"},
            "content/data/sector_figures.yaml:12:30: `source.url`: `lematin.ma/x` is not a "
            "web address — write the full address of the source, starting with https://",
        ),
        (
            {"as_of": "2999-01-01"},
            "content/data/sector_figures.yaml:5:3: `as_of` (2999-01-01) is after today — write the "
            "date the figure refers to, as the source gives it",
        ),
    ],
)
def test_check_reports_figure_problems_at_their_line(
    minimal_site: Path,
    capsys: pytest.CaptureFixture[str],
    values: dict[str, str],
    expected: str,
) -> None:
    fields = {"members": "100", "as_of": "2025-11-30", "url": "https://x.ma/", "part_of": "members"}
    write_figures(minimal_site, FIGURE.format(**(fields | values)))
    assert main(["check"]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if "error(s)" not in line]
    assert lines == [expected]


# -- the built page ------------------------------------------------------------------------------


def test_the_page_exists_in_each_language_and_is_linked(
    sample_build: tuple[BuildResult, Path],
) -> None:
    result, output = sample_build
    assert result.site is not None
    for lang in result.site.config.full_languages:
        tree = page(output, lang)
        html = tree.css_first("html")
        assert html is not None
        assert attr(html, "lang") == lang and attr(html, "dir") == (
            "rtl" if lang == "ar" else "ltr"
        )
        title = i18n.Messages(DEFAULT_THEME / "i18n").resolve("stats.title", lang)[0]
        assert text_of(tree.css_first("h1")) == title
        home = LexborHTMLParser((output / lang / "index.html").read_text(encoding="utf-8"))
        assert home.css(f'footer a[href="/{lang}/stats/"]')
        assert home.css(f'main a[href="/{lang}/stats/"]')


@pytest.mark.parametrize("lang", LANGS)
def test_seed_figures_appear_with_their_source_and_date(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    tree = page(sample_build[1], lang)
    for ident, value in SEED.items():
        card = tree.css_first(f"#figure-{ident}")
        assert card is not None, ident
        assert norm(i18n.number(value, lang)) in text_of(card.css_first(".figure-value"))
        time = card.css_first("time")
        assert time is not None and attr(time, "datetime") == "2025-11-30"
        assert norm(i18n.long_date(date(2025, 11, 30), lang)) in text_of(time)
        link = card.css_first(".figure-source a")
        assert link is not None and attr(link, "href") == SOURCE
        assert "Le Matin" in text_of(link) and attr(link, "hreflang") == "fr"
    women = tree.css_first("#figure-women-members .figure-share")
    assert norm(charts.percent(272583, 788969, lang)) in text_of(women)


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_is_named_described_and_has_its_table(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    tree = page(sample_build[1], lang)
    figures = tree.css("main figure.chart")
    assert len(figures) >= 7  # national shares, 3 by region, 3 by sector, catalogue shares
    kinds = Counter(attr(f.css_first("svg") or f, "data-chart") for f in figures)
    assert kinds["map"] == 1 and kinds["bars"] >= 5 and kinds["shares"] == 2
    for figure in figures:
        ident = attr(figure, "id")
        svg = figure.css_first("svg")
        assert svg is not None
        assert attr(svg, "role") == "img"
        caption = tree.css_first(f"#{attr(svg, 'aria-labelledby')}")
        description = tree.css_first(f"#{attr(svg, 'aria-describedby')}")
        assert caption is not None and caption.tag == "figcaption" and caption.parent == figure
        assert description is not None and text_of(description)
        assert text_of(svg.css_first("title")) == text_of(caption), ident
        assert text_of(svg.css_first("desc")) == text_of(description), ident
        table = figure.css_first("table")
        assert table is not None and text_of(table.css_first("caption")), ident
        # The drawing carries every number of its table.
        drawn = svg_texts(figure)
        numbers = table_numbers(figure)
        assert numbers, ident
        if attr(svg, "data-chart") == "shares":
            joined = " ".join(drawn)
            assert all(n in joined for n in numbers), ident
        else:
            values = [text_of(t) for t in svg.css("text.chart-value")]
            assert values == numbers, ident
        assert attr(svg, "direction") == ("rtl" if lang == "ar" else "ltr")
    assert not tree.css("main script")  # charts need no JavaScript


@pytest.mark.parametrize("lang", LANGS)
def test_charts_show_the_catalogue_counts(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    site = sample_build[0].site
    assert site is not None
    counts = catalogue_figures(site)
    tree = page(sample_build[1], lang)

    def column(ident: str) -> list[str]:
        figure = tree.css_first(f"#{ident}")
        assert figure is not None, ident
        return [text_of(row.css("td.num")[-1]) for row in figure.css("tbody tr")]

    def shown(values: dict[str, int]) -> list[str]:
        return [norm(i18n.number(n, lang)) for n in values.values()]

    assert column("chart-coops-region") == shown(
        {g: len(site.cooperatives_by_region.get(g, [])) for g in site.regions}
    )
    assert column("chart-products-region") == shown(counts.products_by_region)
    assert column("chart-ideas-region") == shown(counts.ideas_by_region)
    assert column("chart-coops-sector") == shown(counts.cooperatives_by_sector)
    assert sum(counts.cooperatives_by_region.values()) == len(site.cooperatives)
    assert sum(counts.products_by_sector.values()) == len(site.products)
    women_led = sum(1 for c in site.cooperatives.values() if c.women_led)
    assert 0 < women_led < len(site.cooperatives)
    shares = tree.css_first("#chart-share-catalogue")
    assert shares is not None
    assert norm(charts.percent(women_led, len(site.cooperatives), lang)) in table_numbers(shares)
    # The map's bars: the sample has a cooperative in every region, so every tile is shaded.
    tiles = tree.css("#chart-coops-region svg g[data-region] rect")
    assert len(tiles) == 12 and charts.PAPER not in {attr(t, "fill") for t in tiles}


def test_the_page_fits_in_one_round_trip(sample_build: tuple[BuildResult, Path]) -> None:
    for lang in LANGS:
        row = budgets.measure_page(sample_build[1], f"/{lang}/stats/")
        assert row.css > 1000 and row.first_render <= budgets.FIRST_RENDER_BUDGET, row
        assert row.js <= budgets.JS_BUDGET, row


def test_the_page_has_no_accessibility_violations(
    sample_build: tuple[BuildResult, Path],
) -> None:
    with serve_directory(sample_build[1]) as base_url:
        violations = axe_violations(base_url, [f"/{lang}/stats/" for lang in LANGS])
    assert not any(violations.values()), format_violations(violations)


# -- incremental builds ----------------------------------------------------------------------------


def test_a_new_member_count_renders_the_page_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "public"
    build(content, output, jobs=1, search=False)
    coop = next(p for p in sorted((content / "cooperatives").glob("*.yaml")))
    text = coop.read_text(encoding="utf-8")
    women = re.search(r"(members:.*?women: )(\d+)", text, re.S)
    assert women is not None
    coop.write_text(text[: women.start(2)] + "0" + text[women.end(2) :], encoding="utf-8")

    result = build(content, output, jobs=1, search=False)

    assert result.mode == "incremental"
    assert {"ar/stats/index.html", "fr/stats/index.html"} <= set(result.rendered)
    fresh = tmp_path / "fresh"
    build(content, fresh, jobs=1, search=False, incremental=False)
    for lang in LANGS:
        path = Path(lang) / "stats" / "index.html"
        assert (output / path).read_bytes() == (fresh / path).read_bytes()
