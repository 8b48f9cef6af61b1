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
    store = pytest.importorskip("govreport.corpus.store", reason="the corpus store (govreport.corpus.store) is not in this build")
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
    from govreport.corpus.store import Store
    from govreport.model import report_id

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
    from govreport.corpus.tables import Corpus

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
    from govreport.corpus.tables import Corpus

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
    from govreport.parsing.pipeline import parse

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


VISIBLE = """sel => { const el = document.querySelector(sel); const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return !!hit && el.contains(hit); }"""


def test_upload_page_text_is_readable(server: str, page) -> None:
    page.goto(f"{server}/upload")
    for selector in ("#upload-intro", "#drop strong", "#upload-submit"):  # nothing drawn over them
        assert page.evaluate(VISIBLE, selector), selector
    intro, drop = page.locator("#upload-intro").bounding_box(), page.locator("#drop").bounding_box()
    assert intro["y"] + intro["height"] <= drop["y"]
    shot(page, "web_upload_page.png")


def test_values_table_fits_its_panel(server: str, db: Path, page) -> None:
    rid, _ = stored(db, "海拉尔区第十四届人民代表大会第六次会议")
    page.goto(f"{server}/report/{rid}")
    panel = page.locator("aside.values")
    assert panel.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.evaluate(VISIBLE, "#values thead th:last-child")  # the 限定 column is on screen


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
    from govreport.parsing.pipeline import parse
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
    from govreport.analysis import attention
    from govreport.corpus.store import Store
    from govreport.knowledge import themes

    page.goto(f"{server}/attention")
    page.select_option("#att-regions", ["海拉尔区"])
    page.click("#attention-form button[type=submit]")
    page.wait_for_selector("#att-chart[data-drawn='region=%E6%B5%B7%E6%8B%89%E5%B0%94%E5%8C%BA']")
    assert page.locator("#att-chart text.axis-unit").text_content() == "单位：次/万字"
    labels = {d.label: d.name for d in themes.builtin_dictionaries()}
    series = {s.split(" · ")[1] for s in page.locator("#att-chart circle").evaluate_all("els => els.map(e => e.dataset.series)")}
    assert series == set(labels)  # theme names in Chinese
    point = page.locator("#att-chart circle").last  # drawn last, so on top where points overlap
    point.click()
    page.wait_for_selector("#kwic td.k")
    title = page.locator("#kwic-title").inner_text()
    region, year, label = title.replace("·", " ").split()
    with Store(db, read_only=True) as store:
        report = next(r for r in store.iter_reports(region=region) if str(r.plan_year) == year)
    expected = attention.kwic(report, labels[label], width=24)[:40]
    keywords = page.locator("#kwic td.k").all_inner_texts()
    assert keywords == [line["keyword"] for line in expected]
    shot(page, "web_attention.png")
    # a keyword opens the report at that very occurrence
    page.locator("#kwic td.k a").nth(1).click()
    page.wait_for_selector("#report-text mark.hl-found")
    offset = page.evaluate("() => { const r = document.createRange(); r.setStart(document.getElementById('report-text'), 0);"
                           " r.setEndBefore(document.querySelector('mark.hl-found')); return r.toString().length; }")
    assert offset == expected[1]["start"]


def test_attention_draws_the_trend_of_a_free_term(server: str, db: Path, page) -> None:
    from govreport.corpus.store import Store

    page.goto(f"{server}/attention?region=%E6%B5%B7%E6%8B%89%E5%B0%94%E5%8C%BA&term=%E6%97%85%E6%B8%B8")  # 旅游
    page.wait_for_selector("#att-chart[data-drawn*='term=']")
    points = page.locator("#att-chart circle[data-series='海拉尔区 · “旅游”']")
    got = {int(x): float(y) for x, y in points.evaluate_all("els => els.map(e => [e.dataset.x, e.dataset.y])")}
    with Store(db, read_only=True) as store:
        reports = list(store.iter_reports(region="海拉尔区"))
    want = {r.plan_year: round(r.text.count("旅游") * 10000 / len("".join(r.text.split())), 4) for r in reports}
    assert got == want and all(v > 0 for v in want.values())
    shot(page, "web_attention_term.png")


def test_report_list_sorts_facets_pages_and_exports_exactly_the_view(server: str, db: Path, page) -> None:
    from govreport.corpus.store import connect

    con = connect(str(db), read_only=True)
    total = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert total > 10  # more than one page of 10
    page.goto(f"{server}/?per=10")
    assert page.locator("#total").inner_text() == f"共 {total} 份"
    assert page.locator("#reports tbody tr").count() == 10
    shot(page, "web_list.png")
    # sort by region: the rows come in region order and the URL says so
    page.click("#reports th a[data-sort=region]")
    page.wait_for_url("**sort=region**")
    regions = page.locator("#reports tbody tr td:nth-child(2)").all_inner_texts()
    expected = [r for (r,) in con.execute("SELECT region FROM reports ORDER BY region NULLS LAST, region, report_id LIMIT 10").fetchall()]
    assert regions == expected
    # next page: the other rows, same order
    page.click("#pager a[rel=next]")
    page.wait_for_url("**page=2**")
    assert "sort=region" in page.url and "per=10" in page.url
    assert page.locator("#reports tbody tr").count() == total - 10
    shot(page, "web_list_page2.png")
    # a facet: prefecture-level reports only, counted right, sort and per kept
    count = con.execute("SELECT count(*) FROM reports WHERE level = 'prefecture'").fetchone()[0]
    page.click("#facets section[data-facet=level] a[data-value=prefecture]")
    page.wait_for_url("**level=prefecture**")
    assert page.locator("#total").inner_text() == f"共 {count} 份"
    assert set(page.locator("#reports tbody tr td:nth-child(3)").all_inner_texts()) == {"地级"}
    shot(page, "web_list_facet.png")
    # the export holds exactly the rows of this view, in its order, none cut
    permalink = page.url
    with page.expect_download() as info:
        page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    ids = [r for (r,) in con.execute("SELECT report_id FROM reports WHERE level = 'prefecture'"
                                     " ORDER BY region NULLS LAST, region, report_id").fetchall()]
    assert [r["id"] for r in rows] == ids
    data = page.request.get(page.locator("#export-json").get_attribute("href")).json()
    assert [r["id"] for r in data] == ids
    # the URL is the whole state: opened fresh, it shows the same view
    fresh = page.context.new_page()
    fresh.goto(permalink)
    assert fresh.locator("#total").inner_text() == f"共 {count} 份"
    assert fresh.locator("#reports tbody tr").all_inner_texts() == page.locator("#reports tbody tr").all_inner_texts()


def test_search_respects_the_filters(server: str, db: Path, page) -> None:
    from govreport.corpus.store import connect

    con = connect(str(db), read_only=True)
    every = con.execute("SELECT count(*) FROM reports WHERE contains(text, '营商环境')").fetchone()[0]
    districts = con.execute("SELECT count(*) FROM reports WHERE contains(text, '营商环境') AND level = 'district'").fetchone()[0]
    assert every > districts > 0
    page.goto(f"{server}/?q=营商环境")
    assert page.locator("#total").inner_text() == f"共 {every} 份"
    page.select_option("#filters select[name=level]", "district")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**level=district**")
    assert page.locator("#total").inner_text() == f"共 {districts} 份"
    assert page.locator("#reports .ctx b").count() == districts
    assert set(page.locator("#reports tbody tr td:nth-child(3)").all_inner_texts()) == {"区"}


def test_coverage_page_shows_regions_by_year_and_warnings_by_kind(server: str, db: Path, page) -> None:
    from govreport.corpus.store import connect

    con = connect(str(db), read_only=True)
    page.goto(f"{server}/coverage")
    cells = page.locator("#coverage td.has").evaluate_all(
        "els => els.map(e => [e.closest('tr').dataset.region, +e.dataset.year, +e.textContent])")
    expected = con.execute("SELECT region, plan_year, count(*) FROM reports WHERE plan_year IS NOT NULL AND region IS NOT NULL"
                           " GROUP BY ALL").fetchall()
    assert sorted(map(tuple, cells)) == sorted(expected)
    kinds = page.locator("#warning-kinds tbody tr td:first-child").all_inner_texts()
    assert "listed in the table of contents but absent: N… (p.N)" in kinds  # one kind, whatever the title
    warned = con.execute("SELECT count(DISTINCT report_id) FROM warnings WHERE message LIKE 'listed in the table%'").fetchone()[0]
    row = page.locator("#warning-kinds tbody tr", has_text="listed in the table of contents but absent")
    assert row.locator("td.num").inner_text() == str(warned)
    shot(page, "web_coverage.png")
    # the count opens the report list of exactly those reports
    row.locator("td.num a").click()
    page.wait_for_url("**wkind=**")
    assert page.locator("#total").inner_text() == f"共 {warned} 份"
    ids = {r for (r,) in con.execute("SELECT DISTINCT report_id FROM warnings WHERE message LIKE 'listed in the table%'").fetchall()}
    assert set(page.locator("#reports tbody tr").evaluate_all("els => els.map(e => e.dataset.id)")) == ids


def test_values_table_shows_qualifiers_in_chinese(server: str, db: Path, page) -> None:
    rid, report = stored(db, "第十二届全国人民代表大会第三次会议")
    page.goto(f"{server}/report/{rid}")
    qualifiers = set(page.locator("#values tbody tr td:nth-child(4)").all_inner_texts())
    assert "左右" in qualifiers
    assert not qualifiers & {"about", "at_least", "at_most", "range", "none"}
    tips = "\n".join(page.locator("#report-text mark.hl[data-tip]").evaluate_all("els => els.map(e => e.dataset.tip)"))
    assert "限定：左右" in tips
    assert not any(word in tips for word in ("qualifier:", "modifier:", "relation:", "scope:", "strength:", "estimated"))
    assert "全文" in page.locator(".meta").inner_text()


def test_pages_have_a_favicon_and_errors_are_pages(server: str, page) -> None:
    page.goto(f"{server}/no/such/page")
    assert page.locator("#error").is_visible()
    assert page.locator("header.topbar").is_visible()  # the app's own page, not raw JSON
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).headers["content-type"].startswith("image/svg+xml")
    assert page.request.get(f"{server}/favicon.ico").ok
    shot(page, "web_error.png")


def test_keyboard_reaches_the_list_and_opens_a_report(server: str, page) -> None:
    page.goto(server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(150):  # tab on until a report link has the focus, then open it with Enter
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#reports tbody')"):
            break
    else:
        pytest.fail("no report link is reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_selector("#report-text")
    # the values table is reachable and a row shows its evidence with Enter
    row = page.locator("#values tr[data-target]").first
    row.focus()
    page.keyboard.press("Enter")
    mark = row.get_attribute("data-target")
    page.wait_for_function("id => document.querySelector('#m-' + id).classList.contains('flash')", arg=mark)


# ---- abuse, as a browser meets it ------------------------------------------------------------------------


def test_another_site_cannot_post_an_upload_frame_the_app_or_rebind_its_name(browser, db: Path, tmp_path: Path) -> None:
    import http.server
    import threading

    from govreport.web.app import create_app
    from webserver import free_port

    app = create_app(db)
    with running(app) as url:
        port = int(url.rsplit(":", 1)[1])
        evil = tmp_path / "evil"
        evil.mkdir()
        (evil / "index.html").write_text(f"""<!doctype html><html><body>
<iframe id="frame" src="{url}/"></iframe>
<script>
const form = new FormData();
form.append("file", new Blob(["各位代表：现在，我代表市人民政府，向大会报告政府工作。地区生产总值增长6%左右。"]), "x.txt");
fetch("{url}/upload", {{method: "POST", body: form, mode: "no-cors"}}).then(() => document.title = "sent",
                                                                          () => document.title = "failed");
</script></body></html>""", encoding="utf-8")
        handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(evil))  # noqa: E731
        other = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        threading.Thread(target=other.serve_forever, daemon=True).start()
        try:
            context = browser.new_context()
            pg = context.new_page()
            pg.goto(f"http://127.0.0.1:{other.server_address[1]}/index.html")
            pg.wait_for_function("document.title === 'sent' || document.title === 'failed'")
            assert app.state.uploads == {}  # the cross-site post was refused before it was parsed
            frame = pg.frame_locator("#frame")
            assert frame.locator("header.topbar").count() == 0  # frame-ancestors 'none': not rendered
            context.close()
        finally:
            other.shutdown()

        # DNS rebinding: a foreign name that resolves to the app's address gets no corpus
        rebound = browser.browser_type.launch(executable_path=str(CHROMIUM),
                                              args=[*ARGS, "--host-resolver-rules=MAP evil.test 127.0.0.1"])
        try:
            pg = rebound.new_page()
            res = pg.goto(f"http://evil.test:{port}/api/reports")
            assert res.status == 400 and "unknown Host" in pg.content()
            assert "海拉尔" not in pg.content()
        finally:
            rebound.close()


def test_report_page_links_the_same_regions_previous_and_next_report(server: str, db: Path, page) -> None:
    rid16, _ = stored(db, "海拉尔区第十四届人民代表大会第五次会议")
    rid17, _ = stored(db, "海拉尔区第十四届人民代表大会第六次会议")
    page.goto(f"{server}/report/{rid16}")
    assert page.locator("#prev-report").count() == 0
    page.click("#next-report")
    page.wait_for_url(f"**/report/{rid17}")
    assert page.locator("#next-report").count() == 0
    assert page.locator("#prev-report").inner_text() == "← 海拉尔区 2016"


def test_compare_view_sets_a_regions_years_side_by_side_beside_its_parent(server: str, db: Path, page) -> None:
    from govreport.corpus.tables import Corpus

    track = Corpus(str(db)).track(None, regions=["海拉尔区"])
    page.goto(f"{server}/compare")
    page.fill("#compare-form input[name=region]", "海拉尔区")
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("#compare")
    assert page.locator("#compare th.year").all_inner_texts() == ["2016", "2017"]
    assert page.locator("#parents").inner_text() == "上级政府：呼伦贝尔市"
    gdp = page.locator("#compare tr[data-indicator=gdp][data-measure=增长]")
    cells = gdp.locator("td.num").all_inner_texts()
    want = track[(track["indicator"] == "gdp") & (track["measure"] == "growth")].set_index("year")
    assert cells[0] == f"{want.loc[2016, 'target']:g}" and cells[1] == f"{want.loc[2016, 'actual']:g}"
    assert cells[3] == f"{want.loc[2017, 'target']:g}" and cells[4] == "—"
    assert "missed" in gdp.locator("td.actual").first.get_attribute("class")  # 7.2 < 7.5
    assert page.locator("#compare tbody tr").count() == len(track.drop_duplicates(["indicator", "measure", "unit"]))
    shot(page, "web_compare.png")
    gdp.locator("td.actual a").first.click()  # the actual opens its evidence in the 2017 report
    page.wait_for_selector("#report-text mark.hl-found")
    assert page.locator("#report-text mark.hl-found").inner_text() == want.loc[2016, "actual_evidence"]


def test_chart_data_table_has_chinese_heads_and_sorts_by_a_column(server: str, page) -> None:
    from govreport.corpus.codebook import columns

    page.goto(f"{server}/indicators?indicator=gdp")
    page.wait_for_selector("#panel-table th[data-column=target]")
    heads = dict(page.locator("#panel-table th").evaluate_all("els => els.map(e => [e.dataset.column, e.textContent])"))
    assert heads["region"] == columns()["region"].split(" ")[0] == "地区"
    assert heads["qualifier"] == "限定" and heads["target"] == "目标值"
    index = list(heads).index("target")
    page.locator("#panel-table th[data-column=target]").click()
    values = [float(v) for v in page.locator(f"#panel-table tbody td:nth-child({index + 1})").all_inner_texts() if v]
    assert values == sorted(values) and len(values) > 2
    page.locator("#panel-table th[data-column=target]").press("Enter")  # again, by keyboard: descending
    values = [float(v) for v in page.locator(f"#panel-table tbody td:nth-child({index + 1})").all_inner_texts() if v]
    assert values == sorted(values, reverse=True)


def test_standalone_page_served_by_the_app_runs_under_its_policy(server: str, db: Path, page) -> None:
    rid, _ = stored(db, "海拉尔区第十四届人民代表大会第六次会议")
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    res = page.goto(f"{server}/report/{rid}/standalone.html")
    assert "default-src 'none'" in res.headers["content-security-policy"]
    assert page.evaluate("getComputedStyle(document.querySelector('.report-grid')).display") == "grid"  # style ran
    row = page.locator("#values tr[data-target]").first
    row.click()  # the script ran: the evidence flashes
    page.wait_for_function("id => document.querySelector('#m-' + id).classList.contains('flash')",
                           arg=row.get_attribute("data-target"))
    assert blocked == []
