"""`govreport check`: coverage of a corpus without gold, measured as a user with 5,000 reports would run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import SEEDS, SHARED

from govreport.quality.check import report_checks, warning_kind


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govreport", "check", *args], capture_output=True, text=True)


def test_check_measures_each_share_and_lists_the_weakest_reports(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(SEEDS.iterdir())[:3]:
        shutil.copy(f, corpus / f.name)
    shutil.copy(SHARED / "corpus" / "dev" / "city" / "MANIFEST.tsv", corpus / "MANIFEST.tsv")
    out = run(str(corpus), "--json")
    assert out.returncode == 0, out.stderr
    [cov] = json.loads(out.stdout)
    assert cov["reports"] >= 3
    assert cov["shares"]["region"] == 1.0 and cov["shares"]["plan_year"] == 1.0
    assert cov["targets_per_report"]["mean"] >= 3
    # the manifest beside the reports is one refusal naming the file, not one per row and not a report
    assert len(cov["refused"]) == 1 and "MANIFEST.tsv" in cov["refused"][0] and "rows" in cov["refused"][0]
    assert run(str(corpus), "--min-share", "1.01").returncode == 1


def test_a_report_without_targets_counts_as_accounted_for_only_when_a_warning_says_why():
    rec = {"region": {"code": "110000"}, "plan_year": 2024, "meeting_date": None, "targets": [], "warnings": []}
    assert report_checks(rec)["targets_accounted"] is False
    rec["warnings"] = ["no main-targets paragraph (主要预期目标) found"]
    checks = report_checks(rec)
    assert checks["targets_accounted"] and not checks["targets_found"] and not checks["meeting_date"]
    gnp = {**rec, "targets": [{"indicator": "gnp", "value": 5}]}
    assert report_checks(gnp, ("gdp", "gnp"))["gdp"] and not report_checks(gnp)["gdp"]


def test_warnings_of_one_kind_count_together_whatever_their_particulars():
    assert warning_kind("region 成都市 inferred from repeated mentions (81) of its name") == \
        warning_kind("region 晋城市 inferred from repeated mentions (35) of its name")
    assert warning_kind("no GDP figure found in the review of 2023") == warning_kind("no GDP figure found in the review of 1999")


def test_a_report_whose_targets_paragraph_holds_unread_figures_is_counted_apart():
    rec = {"region": {"code": "110000"}, "plan_year": 2024, "targets": [{"indicator": "gdp", "value": 5}],
           "warnings": []}
    assert report_checks(rec)["targets_all_read"]
    rec["warnings"] = ["1 figure(s) in the main-targets paragraph not read as targets (check them by hand): '人才资源总量超90万人'"]
    assert not report_checks(rec)["targets_all_read"] and report_checks(rec)["targets_accounted"]
