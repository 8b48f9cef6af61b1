"""Reviewing in real headless Chromium against the running server (serve --allow-review): a reviewer corrects a
value and adds a missed one by selecting its characters; after re-ingesting with a changed lexicon the decisions
still apply and the exported panel uses them. Screenshots go to artifacts/ (not committed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_web_browser import browser, page, shot  # noqa: F401 (pytest fixtures of the Chromium harness)
from webserver import running

pytestmark = pytest.mark.browser

JIANGYUAN = "002_8433e2247a81c5a0.txt"  # 江源区 2025
MISSED = "招商引资到位资金同比增长35%"  # a review-year figure the parser does not give
LEXICON = """version = "review-browser-test"
[[indicator]]
code = "scale_industrial_output"
label = "规上工业总产值"
names = ["规模以上工业总产值"]
"""
# the viewport rectangles of the first and the last character of PHRASE inside the report text
CHAR_RECTS = """phrase => {
  const root = document.getElementById('report-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.data.indexOf(phrase);
    if (at < 0) continue;
    const rect = i => { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                        const b = r.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    return [rect(at), rect(at + phrase.length - 1)];
  }
  return null;
}"""


@pytest.fixture()
def db(tmp_path, seeds_dir) -> Path:
    from govreport.corpus.store import ingest

    shutil.copy(seeds_dir / JIANGYUAN, tmp_path / JIANGYUAN)
    path = tmp_path / "corpus.duckdb"
    assert ingest([str(tmp_path / JIANGYUAN)], str(path)).added == 1
    return path


def report_id(db: Path) -> str:
    from govreport.corpus.store import Store

    with Store(str(db), read_only=True) as store:
        return store.con.execute("SELECT report_id FROM reports").fetchone()[0]


def test_reviewer_corrects_a_value_and_adds_one_by_selecting_text_and_both_survive_reingest(db, page, tmp_path):
    from govreport.cli.main import main
    from govreport.corpus.store import Store, ingest
    from govreport.web.app import create_app

    rid = report_id(db)
    app = create_app(db, allow_review=True)
    with running(app) as url:
        page.goto(f"{url}/report/{rid}")
        page.fill("#reviewer", "王审核")
        page.dispatch_event("#reviewer", "change")
        row = page.locator("#values tr[data-id$=':t3']")  # 固定资产投资增长5%以上
        assert "固定资产投资" in row.inner_text() and row.locator(".pill").inner_text() == "未审核"

        # correct it: the form opens with the machine's fields, the reviewer changes value and qualifier
        row.locator("button[data-decide=correct]").click()
        page.wait_for_selector("#review-dialog[open]")
        form = page.locator("#review-form")
        assert form.locator("[name=value]").input_value() == "5"
        assert form.locator("[name=indicator]").input_value() == "fixed_asset_investment"
        span = [form.locator(f"[name={end}]").input_value() for end in ("start", "end")]
        assert page.evaluate("([s, e]) => Array.from(document.getElementById('report-text').textContent)"
                             ".slice(s, e).join('')", [int(x) for x in span]) == "固定资产投资增长5%以上"
        form.locator("[name=value]").fill("6")
        form.locator("[name=qualifier]").select_option("about")
        form.locator("[name=note]").fill("原文为5%以上，按复核改为6%左右")
        with page.expect_navigation():
            page.click("#review-save")
        row = page.locator("#values tr[data-id$=':t3']")
        assert row.locator(".pill").inner_text() == "已更正" and row.locator(".pill").get_attribute("title") == "王审核"

        # add a missed actual by dragging the mouse over its characters in the text
        first, last = page.evaluate(CHAR_RECTS, MISSED)
        page.evaluate("y => window.scrollBy(0, y - 300)", first[1])
        first, last = page.evaluate(CHAR_RECTS, MISSED)
        page.mouse.move(first[0] + 1, (first[1] + first[3]) / 2)
        page.mouse.down()
        page.mouse.move(last[2] - 1, (last[1] + last[3]) / 2, steps=8)
        page.mouse.up()
        page.click("#add-selection")
        page.wait_for_selector("#review-dialog[open]")
        assert page.locator("#review-evidence").inner_text() == MISSED
        assert form.locator("[name=value]").input_value() == "35" and form.locator("[name=unit]").input_value() == "%"
        form.locator("[name=kind]").select_option("actual")
        form.locator("[name=indicator]").select_option("domestic_investment")
        form.locator("[name=measure]").select_option("growth")
        shot(page, "web_review_add.png")
        with page.expect_navigation():
            page.click("#review-save")
        added = page.locator("#added-values tbody tr")
        assert added.count() == 1 and MISSED in added.inner_text() and "王审核" in added.inner_text()
        assert "".join(page.locator("#report-text mark.hl-added").all_inner_texts()) == MISSED
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "web_review_report.png")

        # the queue page lists what is left, riskiest first, without the two decided values
        page.goto(f"{url}/review?limit=100")
        ids = page.locator("#review-queue tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")
        assert len(ids) == 12 and f"{rid}:t3" not in ids  # 13 machine values less the corrected t3
        shot(page, "web_review_queue.png")
    app.state.corpus.close()  # the server is stopped: release the database for the ingest

    # re-ingest with a changed lexicon: the values tables are rebuilt, the overlay is not touched
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(LEXICON, encoding="utf-8")
    with Store(str(db), read_only=True) as store:
        path = store.con.execute("SELECT path FROM reports").fetchone()[0]
    assert ingest([path], str(db), lexicon=str(lexicon)).updated == 1
    with Store(str(db), read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM targets WHERE indicator = 'scale_industrial_output'"
                                 ).fetchone()[0] == 1
    status = CliRunner().invoke(main, ["review", "status", "--db", str(db)])
    assert "2 decisions stored; 0 no longer match" in status.output

    app = create_app(db)
    with running(app) as url:
        page.goto(f"{url}/report/{rid}")
        assert page.locator("#values tr[data-id$=':t3'] .pill").inner_text() == "已更正"
        assert "".join(page.locator("#report-text mark.hl-added").all_inner_texts()) == MISSED
    app.state.corpus.close()

    out = tmp_path / "panel.csv"
    assert CliRunner().invoke(main, ["panel", "--db", str(db), "-o", str(out)]).exit_code == 0
    import pandas as pd

    rows = pd.read_csv(out).set_index(["indicator", "kind"])
    fixed = rows.loc[("fixed_asset_investment", "target")]
    assert (fixed["value"], fixed["qualifier"], fixed["review_status"]) == (6.0, "about", "corrected")
    added = rows.loc[("domestic_investment", "actual")]
    assert (added["value"], added["unit"], added["review_status"], added["evidence"]) == (35.0, "%", "added", MISSED)
    assert rows.loc[("gdp", "target"), "review_status"] == "machine"


def test_reviewing_is_refused_unless_the_server_allows_it_and_from_other_origins(db, page):
    from govreport.web.app import create_app

    rid = report_id(db)
    app = create_app(db)
    with running(app) as url:  # read-only server: no controls, and the API refuses
        page.goto(f"{url}/report/{rid}")
        assert page.locator("#review-bar").count() == 0 and page.locator("button[data-decide]").count() == 0
        assert page.locator("#values tr[data-id$=':t0'] .pill").inner_text() == "未审核"
        status = page.evaluate("""url => fetch(url + '/api/review', {method: 'POST', headers: {'Content-Type':
            'application/json'}, body: JSON.stringify({decision: 'accept', id: 'x:t0', reviewer: 'a'})})
            .then(r => r.status)""", url)
        assert status == 403
    app.state.corpus.close()
    with running(create_app(db, allow_review=True)) as url:
        import httpx

        body = {"decision": "accept", "id": f"{rid}:t0", "reviewer": "mallory"}
        foreign = httpx.post(f"{url}/api/review", json=body, headers={"Origin": "http://evil.test"})
        assert foreign.status_code == 403
        nobody = httpx.post(f"{url}/api/review", json={**body, "reviewer": " "}, headers={"Origin": url})
        assert nobody.status_code == 400 and "reviewer" in nobody.json()["error"]
        outside = httpx.get(f"{url}/api/report/{rid}/selection", params={"start": 5, "end": 10 ** 7})
        assert outside.status_code == 400 and "span must lie in the report text" in outside.json()["error"]
        ok = httpx.post(f"{url}/api/review", json=body, headers={"Origin": url})
        assert ok.status_code == 200
        page.goto(f"{url}/report/{rid}")
        assert page.locator("#values tr[data-id$=':t0'] .pill").inner_text() == "已接受"


def test_serve_allow_review_needs_a_database_and_one_process(db):
    from govreport.cli.main import main

    alone = CliRunner().invoke(main, ["serve", "--allow-review"])
    assert alone.exit_code != 0 and "--allow-review needs --db FILE" in alone.output
    many = CliRunner().invoke(main, ["serve", "--allow-review", "--db", str(db), "--workers", "2"])
    assert many.exit_code != 0 and "--allow-review needs --workers 1" in many.output
