"""Accuracy on the gold development sample, measured with `govreport eval` exactly as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXTRA, GOLD, SEEDS, SHARED, load_gold
from govreport.quality.evaluate import FIELDS, evaluate
from govreport.parsing.pipeline import iter_parse


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [r.to_dict(include_text=False) for r in iter_parse([SEEDS, EXTRA]) if not isinstance(r, Exception)]


def test_gold_targets_strict_f1_meets_the_goal(records):
    result = evaluate(load_gold(), records)
    assert result.missing == []
    assert result.targets.f1 >= 0.97, "\n".join(result.details)


def test_every_metadata_field_meets_the_goal(records):
    result = evaluate(load_gold(), records)
    for name in FIELDS:
        assert result.accuracy(name) >= 0.95, (name, [d for d in result.details if f" {name}:" in d])


def test_headline_actuals_are_recalled(records):
    assert evaluate(load_gold(), records).actuals.recall >= 0.9


# Every gold folder, parsed from its development corpus exactly as a user would. The floors are the goals of
# issue 9 where the folder meets them, and the measured level elsewhere (docs/evaluation.md says what is missed),
# so a rule that breaks unseen reports fails here.
DEV = SHARED / "corpus" / "dev"
FOLDERS = {  # gold file: (corpus folder, min strict target F1, min target precision, min metadata, min actuals recall)
    "dev_city.jsonl": (DEV / "city", 0.97, 0.99, 0.97, 0.93),
    "dev_province.jsonl": (DEV / "province", 0.97, 0.99, 0.97, 0.93),
    # national precision: 2 of its 3 false positives are a gold slip (145.777亿元 for 一百四十五亿七千七百万元 = 145.77)
    "dev_national.jsonl": (DEV / "national", 0.97, 0.97, 0.95, 0.90),
}


@pytest.mark.parametrize("gold_file", sorted(FOLDERS))
def test_each_development_folder_meets_its_floor(gold_file):
    folder, min_f1, min_p, min_meta, min_actuals = FOLDERS[gold_file]
    with open(GOLD / gold_file, encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh if line.strip()]
    records = [r.to_dict(include_text=False) for r in iter_parse([folder]) if not isinstance(r, Exception)]
    result = evaluate(gold, records)
    assert result.missing == [], result.missing
    assert result.targets.f1 >= min_f1 and result.targets.precision >= min_p, "\n".join(result.details)
    for name in FIELDS:
        assert result.accuracy(name) >= min_meta, (name, [d for d in result.details if f" {name}:" in d])
    assert result.actuals.recall >= min_actuals


def test_unit_scaling_and_multiset_matching():
    gold = [{"doc": "a.txt", "part": 0, "region": "x", "targets": [
        {"indicator": "new_urban_jobs", "measure": "level", "value": 1.8, "unit": "万人", "qualifier": "none"},
        {"indicator": "gdp", "measure": "growth", "value": 6, "unit": "%", "qualifier": "about"},
        {"indicator": "gdp", "measure": "growth", "value": 6, "unit": "%", "qualifier": "about"}]}]
    record = {"source": {"path": "dir/a.txt", "part": 1}, "region": {"name": "x"}, "targets": [
        {"indicator": "new_urban_jobs", "measure": "level", "value": 18000, "unit": "人", "qualifier": "none"},
        {"indicator": "gdp", "measure": "growth", "value": 6, "unit": "%", "qualifier": "at_least"},
        {"indicator": "cpi", "measure": "growth", "value": None, "unit": None, "relation": "与经济增长同步"}]}
    result = evaluate(gold, [record])
    assert (result.targets.tp, result.targets.fp, result.targets.fn) == (1, 1, 2)
    assert (result.targets_lenient.tp, result.targets_lenient.fp, result.targets_lenient.fn) == (2, 0, 1)
    assert result.accuracy("region") == 1.0 and result.accuracy("meeting_date") == 1.0


def test_eval_command_exits_nonzero_below_min_f1(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text((GOLD / "seeds.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "records.jsonl"
    empty.write_text(json.dumps({"source": {"path": "000_30198e5ba9ff0909.txt", "part": 1},
                                 "region": {"name": "四方台区"}, "targets": []}) + "\n", encoding="utf-8")
    run = [sys.executable, "-m", "govreport", "eval", str(gold), str(empty)]
    assert subprocess.run(run, capture_output=True).returncode == 0
    low = subprocess.run(run + ["--min-f1", "0.5"], capture_output=True, text=True)
    assert low.returncode == 1 and "below --min-f1" in low.stderr
