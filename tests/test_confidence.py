"""Issue 12: every target and actual carries a confidence from rule features and plausibility flags; corpus
flags find level jumps; the confidence is calibrated on the gold (high bins right more often than low ones)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import GOLD, SEEDS, SHARED
from govreport.corpus.flags import corpus_flags
from govreport.corpus.store import Store, ingest
from govreport.knowledge.lexicon import load_lexicon
from govreport.parsing.confidence import FEATURES, load_model, value_features
from govreport.parsing.pipeline import iter_parse, parse, parse_text
from govreport.quality.calibration import brier, judge, reliability

NATIONAL = SHARED / "corpus" / "dev" / "national"
REPORT = (SEEDS / "004_fd770ef22fe975fd.txt").read_text(encoding="utf-8")


def _target(report, indicator, measure, value):
    [v] = [v for v in report.targets if (v.indicator, v.measure, v.value) == (indicator, measure, value)]
    return v


def test_every_value_has_a_confidence_between_0_and_1():
    [report] = parse_text(REPORT)
    values = report.targets + report.actuals
    assert values and all(0.0 <= v.confidence <= 1.0 for v in values)


def test_a_number_right_after_its_name_in_the_targets_paragraph_beats_one_far_away_in_a_fallback_sentence():
    [near_report] = parse_text(REPORT)
    near = _target(near_report, "gdp", "growth", 6)  # GDP增长6%, in the 主要预期目标 paragraph
    # 一九五八年的工业总产值，拟定为六百四十三亿七千万元（…），比一九五七年预计数增加八十一亿九千万元，增长百分之十四点六:
    # a plan sentence outside any targets paragraph, the growth 40 characters and two numbers after its name
    [far_report] = parse(NATIONAL / "national_1958.txt")
    far = _target(far_report, "industrial_output", "growth", 14.6)
    lex = load_lexicon()
    feats = {id(v): f for _, v, f in value_features(near_report, lex) + value_features(far_report, lex)}
    assert feats[id(near)]["gap_chars"] == 0.2 and feats[id(near)]["outside_section"] == 0
    assert feats[id(far)]["gap_chars"] == 4.0 and feats[id(far)]["gap_numbers"] == 2
    assert feats[id(far)]["outside_section"] == 1 and feats[id(far)]["gap_not_filler"] == 1
    assert near.confidence > far.confidence


def test_shipped_weights_never_go_against_their_documented_direction():
    model = load_model()
    assert set(model.weights) == set(FEATURES) == set(model.direction)
    for name, weight in model.weights.items():
        assert weight * model.direction[name] >= 0, name


def test_an_implausible_gdp_growth_target_of_75_percent_is_flagged_and_less_confident():
    assert REPORT.count("GDP增长6%,") == 1
    [report] = parse_text(REPORT.replace("GDP增长6%,", "GDP增长75%,"))
    gdp = _target(report, "gdp", "growth", 75)
    assert gdp.flags == ["implausible_range"]
    investment = _target(report, "fixed_asset_investment", "growth", 7)
    assert investment.flags == [] and gdp.confidence < 0.5 < investment.confidence
    [plain] = parse_text(REPORT)
    assert _target(plain, "gdp", "growth", 6).flags == []


@pytest.fixture(scope="module")
def national_pair(tmp_path_factory):
    """Two consecutive real national reports (reviewing 1993 and 1994): copies, so one can be edited."""
    folder = tmp_path_factory.mktemp("pair")
    for name in ("national_1994.txt", "national_1995.txt"):
        shutil.copy(NATIONAL / name, folder / name)
    return folder


def test_corpus_flags_find_a_100x_level_jump_in_a_real_pair_of_reports(national_pair, tmp_path):
    db = tmp_path / "c.duckdb"
    ingest([national_pair], db)
    with Store(db, read_only=True) as store:
        assert [r for r in corpus_flags(store) if r[3] == "level_jump"] == []
    edited = national_pair / "national_1995.txt"
    text = edited.read_text(encoding="utf-8")
    assert text.count("粮食总产量４４４５亿公斤") == 1
    edited.write_text(text.replace("粮食总产量４４４５亿公斤", "粮食总产量４４４５００亿公斤"), encoding="utf-8")
    ingest([national_pair], db)
    with Store(db, read_only=True) as store:
        jumps = [r for r in corpus_flags(store) if r[3] == "level_jump"]
        _, rows = store.query("SELECT r.review_year, v.text, v.report_id, v.idx FROM actuals v JOIN reports r "
                              "USING (report_id) WHERE v.report_id IN (SELECT unnest(?)) AND v.indicator = "
                              "'grain_output'", [[r[0] for r in jumps]])
    flagged = {(rid, idx): (year, text) for year, text, rid, idx in rows}
    assert sorted(flagged.values()) == [(1993, "粮食总产量4564亿公斤"), (1994, "粮食总产量444500亿公斤")]
    details = {flagged[(r[0], r[2])][0]: r[4] for r in jumps}
    assert details[1994] == "444500亿公斤 is 97.4× the 1993 value 4564亿公斤"
    out = subprocess.run([sys.executable, "-m", "govreport", "flags", "--db", str(db), "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert {(r["kind"], r["flag"]) for r in rows if r["detail"] == details[1994]} == {("actual", "level_jump")}


@pytest.fixture(scope="module")
def gold_and_records():
    folders = {"seeds.jsonl": SEEDS, "extra.jsonl": SHARED / "corpus" / "extra",
               "dev_city.jsonl": SHARED / "corpus" / "dev" / "city",
               "dev_province.jsonl": SHARED / "corpus" / "dev" / "province", "dev_national.jsonl": NATIONAL}
    gold, records = [], []
    for name, folder in folders.items():
        with open(GOLD / name, encoding="utf-8") as fh:
            gold += [json.loads(line) for line in fh if line.strip()]
        records += [r.to_dict(include_text=False) for r in iter_parse([folder]) if not isinstance(r, Exception)]
    return gold, records


def test_on_the_gold_high_confidence_values_are_right_more_often_than_low_confidence_ones(gold_and_records):
    judged = judge(*gold_and_records)
    assert len(judged) > 1000 and all(j.confidence is not None for j in judged)
    high = [j.right for j in judged if j.confidence >= 0.9]
    low = [j.right for j in judged if j.confidence < 0.5]
    assert len(high) > 500 and len(low) >= 10
    assert sum(high) / len(high) > 0.95 > 0.5 > sum(low) / len(low)
    model, constant = brier(judged)
    assert model < constant
    bins = reliability(judged)
    assert bins[0].precision < bins[-1].precision and sum(b.n for b in bins) == len(judged)


def test_a_target_far_from_its_peers_targets_is_a_peer_outlier(tmp_path):
    """Real 2024 prefecture reports: 乌鲁木齐's trade target (+38%) against the other prefectures' (median 9%)."""
    db = tmp_path / "c.duckdb"
    ingest([SHARED / "corpus" / "dev" / "city"], db)
    with Store(db, read_only=True) as store:
        outliers = {(r[0], r[2]): r[4] for r in corpus_flags(store) if r[3] == "peer_outlier"}
        _, rows = store.query("SELECT r.region, v.text, v.report_id, v.idx FROM targets v JOIN reports r USING "
                              "(report_id) WHERE v.indicator = 'trade' AND v.measure = 'growth' AND r.plan_year = 2024"
                              " AND r.level = 'prefecture'")
    flagged = [(region, text) for region, text, rid, idx in rows if (rid, idx) in outliers]
    assert ("乌鲁木齐市", "外贸进出口总额增长38%左右") in flagged
    assert len(rows) >= 20 and len(flagged) <= 2  # the ordinary targets are not flagged


def test_calibrate_command_prints_reliability_per_gold_file_and_names_a_missing_file(tmp_path):
    records = tmp_path / "records.jsonl"
    subprocess.run([sys.executable, "-m", "govreport", "parse", str(SEEDS), "-o", str(records)], check=True,
                   capture_output=True)
    run = subprocess.run([sys.executable, "-m", "govreport", "calibrate", str(GOLD / "seeds.jsonl"), "-r",
                          str(records), "--json"], capture_output=True, text=True, check=True)
    tables = json.loads(run.stdout)
    assert tables["targets, overall"]["values"] == tables["targets, seeds.jsonl"]["values"] == 66
    assert sum(b["n"] for b in tables["targets, overall"]["bins"]) == 66
    assert tables["actuals, seeds.jsonl"]["values"] > 50
    missing = subprocess.run([sys.executable, "-m", "govreport", "calibrate", str(tmp_path / "nope.jsonl"), "-r",
                              str(records)], capture_output=True, text=True)
    assert missing.returncode == 1 and "nope.jsonl" in missing.stderr and "Traceback" not in missing.stderr


def test_the_record_names_the_confidence_weights_that_scored_it():
    [report] = parse_text(REPORT)
    assert report.versions["confidence"] == load_model().version == "2026.11.1"
