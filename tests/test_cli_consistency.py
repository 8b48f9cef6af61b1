"""One CLI: every command resolves regions, indicators and --year the same way, writes -o files, and never
cuts a table silently; the DataFrame API for notebooks. On real reports (tests/../shared/corpus/extra)."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import threading

import pandas as pd
import pytest

import govreport
from govreport.corpus.store import ingest

GOVREPORT = [sys.executable, "-m", "govreport"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*GOVREPORT, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def db(tmp_path_factory, extra_dir):
    path = tmp_path_factory.mktemp("cli") / "c.duckdb"
    ingest([extra_dir], path, jobs=2)
    return str(path)


def csv_of(*args: str) -> pd.DataFrame:
    out = run(*args, "--format", "csv")
    assert out.returncode == 0, out.stderr
    return pd.read_csv(io.StringIO(out.stdout), dtype={"region_code": str})


@pytest.mark.parametrize("command", [["panel"], ["track"], ["reports"]])
def test_short_full_names_and_codes_select_the_same_region_everywhere(db, command):
    tables = [csv_of(*command, "--db", db, "-r", name) for name in ("海拉尔", "海拉尔区", "150702")]
    assert len(tables[0]) > 0 and set(tables[0]["region"]) == {"海拉尔区"}
    assert all(t.equals(tables[0]) for t in tables)
    both = csv_of(*command, "--db", db, "-r", "广东,海拉尔")
    assert set(both["region"]) == {"广东省", "海拉尔区"}


def test_promises_and_distinctive_terms_take_short_names(db):
    promises = csv_of("promises", "--db", db, "-r", "海拉尔")
    assert len(promises) and promises.equals(csv_of("promises", "--db", db, "-r", "150702"))
    terms = run("terms", "--db", db, "--distinctive", "海拉尔", "--format", "csv", "--min-count", "2")
    assert terms.returncode == 0 and len(terms.stdout.splitlines()) > 1, terms.stderr


@pytest.mark.parametrize("command", [["escalation"], ["reports"], ["attention"],
                                     ["kwic", "发展"]])
def test_a_region_that_matches_nothing_is_an_error_in_every_command(db, command):
    out = run(*command, "--db", db, "--region", "杭洲")
    assert out.returncode == 1 and "杭洲: no such region" in out.stderr and "Traceback" not in out.stderr


def test_indicators_accept_any_case_lexicon_names_and_comma_lists(db):
    by_code = csv_of("panel", "--db", db, "-i", "gdp")
    assert len(by_code) and csv_of("panel", "--db", db, "-i", "GDP").equals(by_code)
    assert csv_of("panel", "--db", db, "-i", "地区生产总值").equals(by_code)
    assert set(csv_of("panel", "--db", db, "-i", "gdp,cpi")["indicator"]) == {"gdp", "cpi"}


def test_year_is_the_plan_year_in_every_command(db):
    listed = csv_of("reports", "--db", db, "--year", "2016")
    assert list(listed["plan_year"]) == [2016]  # not also the 2017 report that reviews 2016
    attention = csv_of("attention", "--db", db, "--year", "2016")
    assert set(attention["report_id"]) == set(listed["report_id"])


def test_every_table_command_writes_out(db, tmp_path):
    rid = csv_of("reports", "--db", db, "-r", "海拉尔", "--year", "2016")["report_id"][0]
    for args, name in ((["reports"], "r.csv"), (["sql", "SELECT count(*) AS n FROM targets"], "s.xlsx"),
                       (["show", rid], "v.dta")):
        out = run(*args, "--db", db, "-o", str(tmp_path / name))
        assert out.returncode == 0 and (tmp_path / name).stat().st_size > 0, out.stderr
    values = pd.read_stata(tmp_path / "v.dta")
    assert "地区生产总值增长7.5%" in set(values["evidence"])


def test_kwic_says_how_many_lines_the_limit_left_out(db):
    limited = run("kwic", "发展", "--db", db, "--limit", "5", "--format", "csv")
    assert len(limited.stdout.splitlines()) == 6
    everything = run("kwic", "发展", "--db", db, "--limit", "0", "--format", "csv")
    total = len(everything.stdout.splitlines()) - 1
    assert total > 5 and f"showed 5 of {total} lines; {total - 5} left out" in limited.stderr


def test_report_ids_are_whole_in_tables_and_unique_prefixes_work(db):
    rid = csv_of("reports", "--db", db, "-r", "海拉尔", "--year", "2016")["report_id"][0]
    shown = run("show", rid[:8], "--db", db)
    assert shown.returncode == 0 and "海拉尔区" in shown.stdout
    table = run("reports", "--db", db, "--format", "table")  # 80 columns when piped: ids must still be whole
    assert all(r in table.stdout for r in csv_of("reports", "--db", db)["report_id"])
    jsonl = run("panel", "--db", db, "-r", "海拉尔", "--format", "jsonl")
    assert json.loads(jsonl.stdout.splitlines()[0])["report_id"].startswith(rid[:12])


def test_to_frame_gives_dataframes_of_reports_targets_and_actuals(extra_dir):
    paths = [extra_dir / "hailaer_2016.txt", extra_dir / "no_such_file.txt"]
    with pytest.warns(UserWarning, match="no_such_file.txt"):
        targets = govreport.to_frame(paths)
    gdp = targets[(targets.indicator == "gdp") & (targets.measure == "growth")].iloc[0]
    assert (gdp.region, gdp.year, gdp.value, gdp.value_std, gdp.evidence) == ("海拉尔区", 2016, 7.5, 7.5,
                                                                             "地区生产总值增长7.5%")
    reports = govreport.to_frame(extra_dir / "hailaer_2017.txt", "reports")
    assert list(reports["plan_year"]) == [2017] and reports["n_actuals"][0] > 0
    actuals = govreport.to_frame(extra_dir / "hailaer_2017.txt", "actuals")
    assert set(actuals["year"]) == {2016}


def run_with_terminal_stderr(*args: str) -> str:
    """Run with stderr on a pseudo-terminal (as in an interactive shell) and return what it showed there."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*GOVREPORT, *args], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    proc.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("command", [["attention"], ["kwic", "发展"], ["terms"]])
def test_commands_reading_files_show_progress_on_a_terminal(extra_dir, command):
    files = [str(extra_dir / name) for name in ("hailaer_2016.txt", "hailaer_2017.txt", "national_2015.txt")]
    shown = run_with_terminal_stderr(*command, *files, "--format", "csv")
    assert command[0] in shown and "/3" in shown
