"""End to end in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against the running
server over a database ingested from real corpus files. Screenshots go to artifacts/ (not committed)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXTRA, REPO, SEEDS
from webserver import running
from govreport.model import Report

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "artifacts"
CORPUS_FILES = sorted(SEEDS.glob("*.txt")) + sorted(p for p in EXTRA.iterdir() if p.suffix != ".tsv")

if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium (run `make browser`)", allow_module_level=True)

# every highlighted piece of one mark, joined in document order
MARK_TEXTS = """() => {
  const out = {};
  document.querySelectorAll('#report-text mark.hl').forEach(m => {
    out[m.dataset.mark] = (out[m.dataset.mark] || '') + m.textContent;
  });
  return out;
}"""


def expected_marks(report: Report) -> dict[str, str]:
    """What each highlight must show: exactly Report.text[start:end] of every item with a usable span."""
    out = {}
    for prefix, items in (("t", report.targets), ("a", report.actuals), ("c", report.commitments), ("v", report.achievements)):
        for i, item in enumerate(items):
            start, end = item.span
            if 0 <= start < end <= len(report.text):
                out[f"{prefix}{i}"] = report.text[start:end]
    return out


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = pytest.importorskip("govreport.store", reason="the corpus store (govreport.store) is not in this build")
    path = tmp_path_factory.mktemp("web") / "corpus.duckdb"
    store.ingest([str(p) for p in CORPUS_FILES], str(path))
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    from govreport.web.app import create_app

    with running(create_app(db, max_upload=1024 * 1024)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def stored(db: Path, title_part: str) -> tuple[str, Report]:
    from govreport.store import Store, report_id

    store = Store(str(db), read_only=True)
    return next((report_id(r), r) for r in store.iter_reports() if title_part in r.text[:400] and r.targets)


def test_report_page_highlights_cover_exactly_the_recorded_spans(server: str, db: Path, page) -> None:
    rid, report = stored(db, "海拉尔区第十四届人民代表大会第六次会议")
    page.goto(f"{server}/report/{rid}")
    page.wait_for_selector("#report-text mark.hl")
    expected = expected_marks(report)
    assert len(expected) >= 10
    assert page.evaluate(MARK_TEXTS) == expected
    for i, value in enumerate(report.targets):  # the record's own evidence text agrees with its span
        assert expected.get(f"t{i}", value.text) == value.text

    # a row of the values table scrolls its evidence into view; hovering shows the structured value
    row = page.locator("#values tr[data-target]").last
    mark_id = row.get_attribute("data-target")
    row.click()
    evidence = page.locator(f"#m-{mark_id}")
    page.wait_for_function("id => { const r = document.getElementById('m-' + id).getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }", arg=mark_id)
    evidence.hover()
    tip = page.locator(".tip")
    assert tip.is_visible() and tip.inner_text() == evidence.get_attribute("data-tip")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "web_report.png")


def test_search_finds_chinese_substrings_with_highlighted_context(server: str, page) -> None:
    page.goto(server)
    page.fill("input[name=q]", "民生实事")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#reports .ctx")
    matches = page.locator("#reports .ctx b").all_inner_texts()
    assert matches and set(matches) == {"民生实事"}
    shot(page, "web_search.png")

    # a hit opens its report with that very occurrence marked and scrolled into view
    hit = page.locator("#reports .ctx a").nth(1)
    before = hit.inner_text()
    hit.click()
    found = page.locator("#report-text mark.hl-found")
    found.wait_for()
    assert found.inner_text() == "民生实事"
    page.wait_for_function("() => { const r = document.querySelector('mark.hl-found').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }")
    around = page.evaluate("() => { const m = document.querySelector('mark.hl-found');"
                           " const t = document.getElementById('report-text').textContent;"
                           " const r = document.createRange(); r.setStart(document.getElementById('report-text'), 0);"
                           " r.setEndBefore(m); return r.toString().length; }")
    text = page.locator("#report-text").text_content()
    assert text[around : around + 4] == "民生实事"
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    assert squeeze(text[around - 30 : around]).endswith(squeeze(before.strip("…").split("民生实事")[0])[-6:])
    shot(page, "web_search_hit.png")


def test_indicator_chart_plots_points_and_the_table_downloads_as_csv(server: str, db: Path, page) -> None:
    from govreport.corpus import Corpus

    page.goto(f"{server}/indicators")
    page.select_option("#indicator", "gdp")
    page.select_option("#regions", ["海拉尔区"])
    page.click("#panel-form button[type=submit]")
    page.wait_for_selector("#chart[data-drawn*='region=%E6%B5%B7%E6%8B%89%E5%B0%94%E5%8C%BA']")
    frame = Corpus(str(db)).track("gdp", regions=["海拉尔区"], measure="growth")  # the chart shows one measure
    points = page.locator("#chart circle.point")
    assert points.count() == int(frame["target"].notna().sum() + frame["actual"].notna().sum())
    years = {int(y) for y in points.evaluate_all("els => els.map(e => e.dataset.x)")}
    assert years == {int(y) for y in frame["year"]}
    assert page.locator("#chart text.axis-unit").text_content() == "单位：%"
    assert "measure=growth" in page.url and "unit=%25" in page.url  # the URL holds the view
    shot(page, "web_chart.png")

    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "panel_gdp.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(frame)
    assert {r["region"] for r in rows} == {"海拉尔区"}
    assert sorted(int(float(r["year"])) for r in rows) == sorted(int(y) for y in frame["year"])


def test_chart_never_mixes_units_and_keeps_gaps_on_a_real_time_axis(server: str, db: Path, page) -> None:
    from govreport.corpus import Corpus

    track = Corpus(str(db)).track("gdp")
    page.goto(f"{server}/indicators?indicator=gdp")
    page.wait_for_selector("#chart[data-drawn]")
    # no region chosen: a few regions, not all of them
    shown = {s.split(" ")[0] for s in page.locator("#chart circle.point").evaluate_all("els => els.map(e => e.dataset.series)")}
    assert 1 <= len(shown) <= 5 < track["region"].nunique()
    assert "共 " in page.locator("#chart-note").inner_text()
    # amounts (亿元) are a measure of their own: choosing it redraws in that one unit
    page.select_option("#regions", ["海拉尔区"])
    page.select_option("#measure", "level")
    page.click("#panel-form button[type=submit]")
    page.wait_for_selector("#chart[data-drawn*='measure=level']")
    assert page.locator("#chart text.axis-unit").text_content() == "单位：亿元"
    assert page.locator("#unit option").all_inner_texts() == ["亿元"]
    values = {float(v) for v in page.locator("#chart circle.point").evaluate_all("els => els.map(e => e.dataset.y)")}
    level = track[(track["region"] == "海拉尔区") & (track["measure"] == "level")]
    assert values == set(level["target"].dropna()) | set(level["actual"].dropna())
    # national targets 2015, 2019, 2021: the x axis is in years, so 2015→2019 is twice as wide as 2019→2021, and
    # the line breaks over the missing years; the 2019 range target (6–6.5 %) is drawn as a band
    page.goto(f"{server}/indicators?indicator=gdp&region=%E4%B8%AD%E5%9B%BD")
    page.wait_for_selector("#chart[data-drawn]")
    xs = {int(float(p["x"])): float(p["cx"]) for p in page.locator("#chart circle.point").evaluate_all(
        "els => els.map(e => ({x: e.dataset.x, cx: e.getAttribute('cx')}))")}
    assert sorted(xs) == [2015, 2019, 2021]
    assert abs((xs[2019] - xs[2015]) - 2 * (xs[2021] - xs[2019])) < 1
    assert page.locator("#chart polyline").count() == 0  # no two consecutive years: nothing to join
    assert page.locator("#chart rect.band").count() == 1
    shot(page, "web_chart_band.png")
    # a point opens its own evidence in its report, by keyboard too
    point = page.locator("#chart circle.point[data-x='2015']")
    point.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#report-text mark.hl-found")
    assert page.locator("#report-text mark.hl-found").inner_text() == "国内生产总值增长7%左右"


def test_uploaded_file_is_parsed_and_shown_with_exact_highlights(server: str, page) -> None:
    from govreport.pipeline import parse

    path = EXTRA / "hailaer_2016.txt"
    page.goto(f"{server}/upload")
    page.set_input_files("#file", str(path))
    page.click("#upload-submit")
    page.wait_for_selector("#report-text")
    report = parse(path)[0]
    assert page.locator("#report-text").text_content() == report.text
    assert page.evaluate(MARK_TEXTS) == expected_marks(report)
    assert path.name in page.locator(".meta").inner_text()
    shot(page, "web_upload.png")


def test_upload_errors_are_shown_plainly(server: str, page, tmp_path: Path) -> None:
    image = tmp_path / "report.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    page.goto(f"{server}/upload")
    page.set_input_files("#file", str(image))
    page.click("#upload-submit")
    assert "report.txt: unsupported file type" in page.locator("#error").inner_text()

    big = tmp_path / "big.txt"
    big.write_bytes("各位代表".encode() * 200_000)
    page.goto(f"{server}/upload")
    page.set_input_files("#file", str(big))
    page.click("#upload-submit")
    assert "limit of 1 MB" in page.locator("#error").inner_text()


def test_standalone_html_page_works_offline_with_the_same_highlights(browser, tmp_path: Path) -> None:
    from govreport.pipeline import parse
    from govreport.web.render import report_page

    report = parse(EXTRA / "national_2015.txt")[0]
    out = tmp_path / "national_2015.html"
    out.write_text(report_page(report), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    pg = context.new_page()
    pg.goto(out.as_uri())
    assert pg.evaluate(MARK_TEXTS) == expected_marks(report)
    assert requests == [out.as_uri()]  # nothing fetched from anywhere else
    pg.locator("#values tr[data-target]").first.click()
    shot(pg, "web_standalone.png")
    context.close()


def test_attention_chart_point_opens_its_keyword_in_context_lines(server: str, db: Path, page) -> None:
    from govreport import attention
    from govreport.store import Store

    page.goto(f"{server}/attention")
    page.select_option("#att-regions", ["海拉尔区"])
    page.click("#attention-form button[type=submit]")
    page.wait_for_selector("#att-chart[data-drawn='region=%E6%B5%B7%E6%8B%89%E5%B0%94%E5%8C%BA']")
    point = page.locator("#att-chart circle").last  # drawn last, so on top where points overlap
    point.click()
    page.wait_for_selector("#kwic td.k")
    title = page.locator("#kwic-title").inner_text()
    region, year, theme = title.replace("·", " ").split()
    with Store(db, read_only=True) as store:
        report = next(r for r in store.iter_reports(region=region) if str(r.plan_year) == year)
    expected = attention.kwic(report, theme, width=24)[:40]
    keywords = page.locator("#kwic td.k").all_inner_texts()
    assert keywords == [line["keyword"] for line in expected]
    shot(page, "web_attention.png")
