"""The review overlay and `govreport review` on real reports: decisions are stored apart from the values tables,
survive re-ingesting with another lexicon, flow into panel/track/escalation, become gold that `eval` scores, and
a value a re-parse moved or removed is reported, never dropped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from govreport.cli.main import main
from govreport.corpus import review
from govreport.corpus.store import Store, ingest
from govreport.corpus.tables import Corpus
from govreport.quality.evaluate import evaluate

JIANGYUAN = "002_8433e2247a81c5a0.txt"  # 江源区 2025: 5 targets, 2 without a number, 7 actuals
MISSED_ACTUAL = "招商引资到位资金同比增长35%"  # a review-year figure the parser does not give
# a user lexicon that gives 规模以上工业总产值 an indicator of its own: a re-parse changes that value's indicator
LEXICON = """version = "review-test"
[[indicator]]
code = "scale_industrial_output"
label = "规上工业总产值"
names = ["规模以上工业总产值"]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_dir) -> Path:
    folder = tmp_path_factory.mktemp("review")
    shutil.copy(seeds_dir / JIANGYUAN, folder / JIANGYUAN)
    db = folder / "built.duckdb"
    assert ingest([str(folder / JIANGYUAN)], str(db)).added == 1
    return db


@pytest.fixture()
def db(built, tmp_path) -> Path:
    path = tmp_path / "c.duckdb"
    shutil.copy(built, path)
    return path


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def target_id(db: Path, evidence_part: str) -> str:
    with Store(str(db), read_only=True) as store:
        rid, idx = store.con.execute("SELECT report_id, idx FROM targets WHERE contains(text, ?)",
                                     [evidence_part]).fetchone()
    return f"{rid}:t{idx}"


def panel(db: Path, **kw) -> dict[tuple[str, str, str], dict]:
    with Corpus(db) as corpus:
        df = corpus.panel(**kw)
    return {(r["indicator"], r["measure"], r["kind"]): r for r in df.to_dict("records")}


def test_decisions_are_stored_with_reviewer_time_and_note_and_kept_apart_per_reviewer(db):
    gdp = target_id(db, "地区生产总值同比增长5%以上")
    assert cli("review", "accept", gdp, "--db", str(db), "--reviewer", "alice", "--note", "checked")[0] == 0
    assert cli("review", "reject", gdp, "--db", str(db), "--reviewer", "bob")[0] == 0
    with Store(str(db), read_only=True) as store:
        rows = store.con.execute("SELECT decision, reviewer, note, kind, indicator_was, measure_was, decided_at,"
                                 " span_end - span_start FROM reviews ORDER BY id").fetchall()
    assert [r[:6] for r in rows] == [("accept", "alice", "checked", "target", "gdp", "growth"),
                                     ("reject", "bob", None, "target", "gdp", "growth")]
    assert rows[0][6] <= rows[1][6] and rows[0][7] == len("地区生产总值同比增长5%以上")
    # the latest decision is in force: bob's rejection takes the value out of the panel
    assert ("gdp", "growth", "target") not in panel(db)


def test_panel_track_and_escalation_use_corrections_and_carry_review_status(db):
    fai = target_id(db, "固定资产投资增长5%以上")
    retail = target_id(db, "社会消费品零售总额同比增长5%以上")
    assert cli("review", "correct", fai, "--value", "6", "--qualifier", "about", "--db", str(db),
               "--reviewer", "alice")[0] == 0
    assert cli("review", "accept", retail, "--db", str(db), "--reviewer", "alice")[0] == 0
    rows = panel(db)
    fixed = rows[("fixed_asset_investment", "growth", "target")]
    assert (fixed["value"], fixed["value_std"], fixed["qualifier"], fixed["review_status"]) == (6.0, 6.0, "about",
                                                                                              "corrected")
    assert pd.isna(fixed["modifier"])  # 以上 no longer describes an 'about' value
    assert rows[("retail_sales", "growth", "target")]["review_status"] == "accepted"
    assert rows[("gdp", "growth", "actual")]["review_status"] == "machine"
    verified = panel(db, verified_only=True)
    assert set(verified) == {("fixed_asset_investment", "growth", "target"), ("retail_sales", "growth", "target")}
    with Corpus(db) as corpus:
        track = corpus.track("fixed_asset_investment")
        assert track["target"].tolist() == [6.0] and track["review_status"].tolist() == ["corrected"]
        kept = corpus.track("retail_sales", verified_only=True)  # no 2025 actual at all: the row stays
        assert kept["status"].tolist() == ["not_reported"] and kept["review_status"].tolist() == ["accepted"]
        assert corpus.escalation("fixed_asset_investment")["review_status"].tolist() == ["corrected"]
        wide = corpus.panel(wide=True)
        assert wide["fixed_asset_investment_growth_target_review"].dropna().tolist() == ["corrected"]
        assert "gdp_growth_actual_review" not in wide.columns  # only columns with a reviewed value get one


def test_added_value_needs_a_span_in_the_text_and_keeps_its_characters_as_evidence(db):
    with Store(str(db), read_only=True) as store:
        rid, text = store.con.execute("SELECT report_id, text FROM reports").fetchone()
    start = text.index("粮食产量")  # a sentence the parser gives as an actual; add it as a target by hand
    end = start + len("粮食产量")
    code, out = cli("review", "add", rid[:8], "--start", str(start), "--end", str(len(text) + 5), "--indicator",
                    "grain_output", "--measure", "level", "--value", "1", "--db", str(db))
    assert code == 1 and "span must lie in the report text" in out
    code, out = cli("review", "add", rid, "--start", str(start), "--end", str(end), "--indicator", "粮食产量",
                    "--measure", "level", "--value", "6100", "--unit", "万斤", "--qualifier", "at_least",
                    "--db", str(db), "--reviewer", "carol")
    assert code == 0 and "粮食产量" in out
    row = panel(db)[("grain_output", "level", "target")]
    assert (row["value"], row["unit"], row["review_status"], row["evidence"]) == (6100.0, "万斤", "added", "粮食产量")
    added = review.report_decisions(Store(str(db), read_only=True).con, rid)["added"]
    assert [(a["text"], a["reviewer"]) for a in added] == [("粮食产量", "carol")]
    # another reviewer rejects the added value by its decision number: it leaves the tables
    assert cli("review", "reject", f"#{added[0]['id']}", "--db", str(db), "--reviewer", "dave")[0] == 0
    assert ("grain_output", "level", "target") not in panel(db)


def test_reingest_with_a_changed_lexicon_keeps_decisions_and_reports_the_value_whose_indicator_changed(db, tmp_path):
    gdp = target_id(db, "地区生产总值同比增长5%以上")
    output = target_id(db, "规模以上工业总产值增长10%以上")
    cli("review", "correct", gdp, "--value", "5.5", "--db", str(db), "--reviewer", "alice")
    cli("review", "accept", output, "--db", str(db), "--reviewer", "alice")
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(LEXICON, encoding="utf-8")
    with Store(str(db), read_only=True) as store:
        path = store.con.execute("SELECT path FROM reports").fetchone()[0]
    summary = ingest([path], str(db), lexicon=str(lexicon))
    assert summary.updated == 1  # the values tables were rebuilt by the new parse
    with Store(str(db), read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
        assert store.con.execute("SELECT count(*) FROM targets WHERE indicator = 'scale_industrial_output'"
                                 ).fetchone()[0] == 1
    assert panel(db)[("gdp", "growth", "target")]["value"] == 5.5  # the correction still applies
    code, out = cli("review", "status", "--db", str(db))
    assert code == 0 and "2 decisions stored; 1 no longer match" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("#"))
    assert "indicator_changed" in line and "industrial_output" in line and "scale_industrial_output" in line


def test_a_value_a_reparse_moved_or_removed_is_reported_and_its_decision_kept(db):
    fai = target_id(db, "固定资产投资增长5%以上")
    retail = target_id(db, "社会消费品零售总额同比增长5%以上")
    cli("review", "accept", fai, "--db", str(db), "--reviewer", "alice")
    cli("review", "correct", retail, "--value", "6", "--db", str(db), "--reviewer", "alice")
    rid = fai.split(":")[0]
    cli("review", "add", rid, "--start", "311", "--end", "323", "-i", "gdp", "--measure", "growth", "--value", "5",
        "--kind", "actual", "--db", str(db), "--reviewer", "alice")
    with Store(str(db)) as store:  # what a parser with another normalisation would store: one span shifted, one
        # gone, the text two characters longer at its start
        store.con.execute("UPDATE targets SET span_start = span_start + 3, span_end = span_end + 3"
                          " WHERE indicator = 'fixed_asset_investment'")
        store.con.execute("DELETE FROM targets WHERE indicator = 'retail_sales'")
        store.con.execute("UPDATE reports SET text = '　　' || text")
        found = {p.what: p for p in review.problems(store.con)}
        assert store.con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
        assert set(found) == {"moved", "removed", "text_changed"}
        assert found["moved"].indicator == "fixed_asset_investment" and "now at" in found["moved"].detail
        assert found["removed"].decision == "correct" and found["text_changed"].decision == "add"
        store.con.execute("UPDATE reports SET part = 2")  # no stored report has the reviewed file's part any more
        assert {p.what for p in review.problems(store.con)} == {"report_missing"}
        store.con.execute("UPDATE reports SET part = 1")
    assert panel(db)[("fixed_asset_investment", "growth", "target")]["review_status"] == "machine"


def test_queue_lists_flagged_values_first_then_lowest_confidence_with_unscored_as_risky(db):
    with Store(str(db)) as store:
        store.con.execute("UPDATE targets SET confidence = 0.9, flags = ''")
        store.con.execute("UPDATE actuals SET confidence = 0.5, flags = ''")
        store.con.execute("UPDATE actuals SET confidence = 0.95, flags = 'implausible_level' WHERE indicator = 'gdp'")
        store.con.execute("UPDATE targets SET confidence = NULL WHERE indicator = 'retail_sales'")
    code, out = cli("review", "--db", str(db), "--format", "jsonl", "--limit", "4")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["indicator"], r["kind"]) for r in rows[:2]] == [("gdp", "actual"),
                                                                           ("retail_sales", "target")]
    assert [r["confidence"] for r in rows[2:]] == [0.5, 0.5]
    cli("review", "accept", rows[0]["id"], "--db", str(db), "--reviewer", "alice")
    code, out = cli("review", "--db", str(db), "--format", "jsonl", "--limit", "1", "-i", "gdp")
    assert json.loads(out)["id"] != rows[0]["id"]  # decided values leave the queue
    code, out = cli("review", "accept", "nope:t1", "--db", str(db))
    assert code == 1 and "no such report" in out


def test_export_gold_is_scored_by_eval_and_shows_the_error_a_reviewer_corrected(db, tmp_path, seeds_dir):
    code, out = cli("review", "--db", str(db), "--format", "jsonl", "--limit", "100")
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    total = len(ids)
    assert total >= 10  # every target and actual of the report, numbers and relations
    gold = tmp_path / "gold.jsonl"
    gdp = target_id(db, "地区生产总值同比增长5%以上")
    ids.remove(gdp)
    cli("review", "accept", ids[0], "--db", str(db), "--reviewer", "alice")
    code, out = cli("review", "export-gold", str(gold), "--db", str(db))
    assert code == 0 and "skipped" in out and f"{total - 1} values not checked" in out and gold.read_text() == ""
    for vid in [gdp, *ids[1:]]:
        if vid == gdp:
            cli("review", "correct", vid, "--value", "5.5", "--qualifier", "about", "--db", str(db), "--reviewer", "alice")
        else:
            cli("review", "accept", vid, "--db", str(db), "--reviewer", "alice")
    code, out = cli("review", "export-gold", str(gold), "--db", str(db))
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and len(records) == 1
    rec = records[0]
    assert (rec["doc"], rec["part"], rec["region"], rec["plan_year"]) == (JIANGYUAN, 0, "江源区", 2025)
    assert {"indicator": "gdp", "measure": "growth", "value": 5.5, "unit": "%", "qualifier": "about"} in rec["targets"]
    assert set(rec["qualitative"]) == {"urban_income", "rural_income"}  # 城乡居民…与经济增长同步
    parsed = tmp_path / "records.jsonl"
    assert cli("parse", str(seeds_dir / JIANGYUAN), "--format", "jsonl", "-o", str(parsed))[0] == 0
    result = evaluate(records, [json.loads(line) for line in parsed.read_text(encoding="utf-8").splitlines()])
    assert result.matched == 1
    assert (result.targets.tp, result.targets.fp, result.targets.fn) == (3, 1, 1)  # the corrected GDP target
    assert (result.actuals.tp, result.actuals.fn) == (7, 0)
    code, out = cli("eval", str(gold), str(parsed))
    assert code == 0 and "1 gold reports matched" in out


def test_agreement_gives_percent_and_cohens_kappa_over_values_both_decided(db):
    code, out = cli("review", "--db", str(db), "--format", "jsonl", "--limit", "100")
    ids = [json.loads(line)["id"] for line in out.splitlines()][:6]
    alice = ["accept", "accept", "accept", "reject", "reject", "accept"]
    bob = ["accept", "accept", "reject", "reject", "accept", "accept"]
    for vid, a, b in zip(ids, alice, bob):
        cli("review", a, vid, "--db", str(db), "--reviewer", "alice")
        cli("review", b, vid, "--db", str(db), "--reviewer", "bob")
    cli("review", "accept", ids[0], "--db", str(db), "--reviewer", "carol")  # not in the comparison
    code, out = cli("review", "agreement", "--a", "alice", "--b", "bob", "--db", str(db))
    # po = 4/6; alice accepts 4/6, bob 4/6: pe = (4*4 + 2*2) / 36 = 20/36; kappa = (24/36 - 20/36) / (16/36) = 0.25
    assert code == 0 and "values decided on by both: 6" in out and "66.7% (4/6)" in out
    assert "Cohen's kappa: 0.250" in out
    code, out = cli("review", "agreement", "--a", "alice", "--b", "nobody", "--db", str(db))
    assert code == 1 and "no value was decided on by both" in out


def test_verified_track_leaves_out_a_target_whose_actual_is_there_but_unchecked(tmp_path, extra_dir):
    db = tmp_path / "h.duckdb"
    assert ingest([str(extra_dir / "hailaer_2016.txt"), str(extra_dir / "hailaer_2017.txt")], str(db)).added == 2
    with Store(str(db), read_only=True) as store:
        ids = dict(store.con.execute(
            "SELECT v.kind, r.report_id || ':' || left(v.kind, 1) || v.idx FROM (SELECT 'target' AS kind, * FROM targets"
            " UNION ALL SELECT 'actual', * FROM actuals) v JOIN reports r USING (report_id)"
            " WHERE v.indicator = 'gdp' AND v.measure = 'growth' AND (v.kind = 'actual') = (r.plan_year = 2017)"
        ).fetchall())
    cli("review", "accept", ids["target"], "--db", str(db), "--reviewer", "alice")
    with Corpus(db) as corpus:  # the 2016 target is checked, the 7.2% reported for 2016 is not
        assert corpus.track("gdp", measure="growth", verified_only=True).empty
        assert corpus.track("gdp", measure="growth")["status"].tolist() == ["missed", "not_reported"]
    cli("review", "accept", ids["actual"], "--db", str(db), "--reviewer", "alice")
    with Corpus(db) as corpus:
        track = corpus.track("gdp", measure="growth", verified_only=True)
    assert track[["year", "target", "actual", "status", "actual_review_status"]].values.tolist() == [
        [2016, 7.5, 7.2, "missed", "accepted"]]


def test_a_database_from_before_the_overlay_reads_as_unreviewed_and_gains_it_when_written(db):
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("DROP TABLE reviews")
    con.execute("DROP SEQUENCE review_ids")
    con.close()
    assert {r["review_status"] for r in panel(db).values()} == {"machine"}  # read-only: the file is untouched
    code, out = cli("review", "--db", str(db), "--format", "jsonl", "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 3
    assert cli("review", "status", "--db", str(db))[1].startswith("0 decisions stored")
    assert cli("review", "accept", json.loads(out.splitlines()[0])["id"], "--db", str(db), "--reviewer", "a")[0] == 0
    assert "accepted" in {r["review_status"] for r in panel(db).values()}


def test_an_added_value_is_decided_on_by_its_number_in_its_latest_version(db):
    rid = target_id(db, "固定资产投资").split(":")[0]
    code, out = cli("review", "add", rid, "--start", "5255", "--end", "5267", "-i", "fixed_asset_investment",
                    "--measure", "growth", "--value", "5", "--unit", "%", "--db", str(db), "--reviewer", "alice")
    first = out.split(":")[0]  # "#N"
    assert cli("review", "correct", first, "--value", "5.5", "--db", str(db), "--reviewer", "bob")[0] == 0
    assert cli("review", "accept", first, "--db", str(db), "--reviewer", "carol")[0] == 0  # keeps bob's 5.5
    rows = review.report_decisions(Store(str(db), read_only=True).con, rid)["added"]
    assert [(a["value"], a["reviewer"]) for a in rows] == [(5.5, "carol")]
    code, out = cli("review", "reject", "#999", "--db", str(db))
    assert code == 1 and "no such review decision" in out
    code, out = cli("review", "accept", f"{rid}:t0", "--db", str(db), "--reviewer", "carol")
    code, out = cli("review", "reject", out.split(":")[0], "--db", str(db))  # a decision on a machine value
    assert code == 1 and "names an added value" in out


def test_selection_suggests_the_number_and_unit_written_in_it():
    assert review.number_in("全年争取预算内资金16.7亿元") == {"value": 16.7, "unit": "亿元", "at": 9}
    assert review.number_in("粮食产量突破6000万斤")["unit"] == "万斤"
    assert review.number_in("城镇调查失业率控制在5.5%左右") == {"value": 5.5, "unit": "%", "at": 10}
    assert review.number_in("聚焦产业体系高质量")["value"] is None


def test_queue_year_is_the_plan_year_of_the_report(db):
    code, out = cli("review", "--db", str(db), "--format", "jsonl", "--limit", "100", "--year", "2025")
    assert code == 0 and {json.loads(line)["kind"] for line in out.splitlines()} == {"target", "actual"}
    assert len(out.splitlines()) == 13  # 5 targets, urban and rural income 与经济增长同步, 7 actuals
    assert cli("review", "--db", str(db), "--format", "jsonl", "--year", "2024")[1] == ""


def test_rebind_carries_decisions_whose_value_only_moved_and_leaves_the_rest_listed(db):
    fai = target_id(db, "固定资产投资增长5%以上")
    retail = target_id(db, "社会消费品零售总额同比增长5%以上")
    rid = fai.split(":")[0]
    cli("review", "correct", fai, "--value", "6", "--db", str(db), "--reviewer", "alice", "--note", "复核")
    cli("review", "accept", retail, "--db", str(db), "--reviewer", "alice")
    with Store(str(db), read_only=True) as store:
        start = store.con.execute("SELECT text FROM reports").fetchone()[0].index(MISSED_ACTUAL)
    cli("review", "add", rid, "--start", str(start), "--end", str(start + len(MISSED_ACTUAL)), "-i",
        "domestic_investment", "--measure", "growth", "--value", "35", "--unit", "%", "--kind", "actual",
        "--db", str(db), "--reviewer", "bob")
    with Store(str(db)) as store:  # a new normalisation: two characters more at the start of the text
        store.con.execute("UPDATE reports SET text = '　　' || text")
        store.con.execute("UPDATE targets SET span_start = span_start + 2, span_end = span_end + 2")
        store.con.execute("DELETE FROM targets WHERE indicator = 'retail_sales'")
    assert panel(db)[("fixed_asset_investment", "growth", "target")]["review_status"] == "machine"
    code, out = cli("review", "rebind", "--db", str(db))
    assert code == 0 and "2 decisions carried" in out
    rows = panel(db)
    fixed = rows[("fixed_asset_investment", "growth", "target")]
    assert (fixed["value"], fixed["review_status"], fixed["evidence"]) == (6.0, "corrected", "固定资产投资增长5%以上")
    assert rows[("domestic_investment", "growth", "actual")]["evidence"] == MISSED_ACTUAL
    code, out = cli("review", "status", "--db", str(db))
    assert [line.split("\t")[1] for line in out.splitlines()[1:]] == ["removed"]  # the accepted retail value
    with Store(str(db), read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 5  # old rows kept
        note = store.con.execute("SELECT note FROM reviews WHERE decision = 'correct' ORDER BY id DESC").fetchone()[0]
    assert note.startswith("复核; carried from #1")
