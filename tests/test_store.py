"""The corpus database: incremental, idempotent ingest with provenance; reading reports back."""

from __future__ import annotations

import shutil

import pytest

from govreport.model import GovreportError
from govreport.corpus.store import Store, ingest
from govreport.model import report_id


@pytest.fixture()
def corpus(tmp_path, seeds_dir):
    files = tmp_path / "in"
    files.mkdir()
    for name in ("000_30198e5ba9ff0909.txt", "004_fd770ef22fe975fd.txt"):
        shutil.copy(seeds_dir / name, files / name)
    return files


def test_ingest_is_incremental_and_idempotent(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    first = ingest([corpus], db)
    assert (first.added, first.updated, first.skipped, first.failed) == (2, 0, 0, [])
    again = ingest([corpus], db)
    assert (again.added, again.updated, again.skipped) == (0, 0, 2)
    forced = ingest([corpus], db, force=True)
    assert (forced.added, forced.updated) == (0, 2)
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(*), count(DISTINCT report_id) FROM reports")
        assert rows == [(2, 2)]
        _, rows = store.query("SELECT count(*) FROM targets")
        assert rows[0][0] > 10


def test_changed_file_replaces_its_reports(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db)
    path = corpus / "000_30198e5ba9ff0909.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    summary = ingest([corpus], db)
    assert (summary.updated, summary.skipped) == (1, 1)
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(*) FROM reports WHERE path = ?", [str(path)])
        assert rows[0][0] == 1


def test_stored_report_reads_back_with_provenance_and_spans(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db)
    with Store(db, read_only=True) as store:
        reports = list(store.iter_reports(region="四方台区"))
        assert len(reports) == 1
        r = reports[0]
        assert r.region.code == "230505" and r.plan_year == 2025
        assert all(r.text[v.span[0] : v.span[1]] == v.text for v in r.targets + r.actuals)
        assert store.report(report_id(r)).targets == r.targets
        _, rows = store.query("SELECT parser_version, lexicon_version, divisions_vintage, sha256 FROM reports")
        assert all(all(col for col in row) for row in rows)


def test_duplicate_copies_are_linked_not_double_counted(tmp_path, seeds_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    text = (seeds_dir / "002_8433e2247a81c5a0.txt").read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text.replace("\n", "\n\n"), encoding="utf-8")  # another source's layout
    db = tmp_path / "c.duckdb"
    ingest([folder], db)
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(*) FILTER (WHERE duplicate_of IS NULL), count(*) FROM reports")
        assert rows == [(1, 2)]


def test_near_copies_all_point_to_the_earliest_report(tmp_path, seeds_dir):
    # four copies of one report, each with its own figures (so their text fingerprints differ): every copy but
    # the earliest id is linked to the earliest, whichever copy it is compared with first
    text = (seeds_dir / "002_8433e2247a81c5a0.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"copy{i}.txt").write_text(text.replace("92.5%", f"92.{5 + i}%"), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    ingest([folder], db)
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT report_id, duplicate_of, text_key FROM reports ORDER BY report_id")
    assert len({key for _, _, key in rows}) == 4  # not linked by the fingerprint
    first = rows[0][0]
    assert [dup for _, dup, _ in rows] == [None, first, first, first]


def test_search_finds_chinese_substrings(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db)
    with Store(db, read_only=True) as store:
        hits = store.search_text("雨山", 10)
        assert hits and hits[0]["region"] == "雨山区"
        r = store.report(hits[0]["report_id"])
        assert r.text[hits[0]["start"] : hits[0]["start"] + 2] == "雨山"


def test_bad_files_fail_alone_and_keep_stored_reports(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "000_30198e5ba9ff0909.txt").write_bytes(b"\x00\x01binary")
    summary = ingest([corpus], db)
    assert len(summary.failed) == 2
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(*) FROM reports")
        assert rows[0][0] == 2  # the report of the file that became unreadable is kept


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.duckdb"
    bad.write_text("not a database")
    with pytest.raises(GovreportError, match="x.duckdb"):
        Store(bad)


def _make_schema_1(db) -> None:
    """Turn a fresh database into one written by schema 1 (before values had confidence and flags)."""
    import duckdb

    con = duckdb.connect(str(db))
    for table in ("targets", "actuals"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN confidence")
        con.execute(f"ALTER TABLE {table} DROP COLUMN flags")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_a_schema_1_database_opens_read_only_with_empty_confidence_and_flags(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db)
    _make_schema_1(db)
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(*), count(confidence), count(flags) FROM targets")
        assert rows[0][0] > 10 and rows[0][1:] == (0, 0)
        assert len(list(store.iter_reports())) == 2


def test_writing_to_a_schema_1_database_adds_the_columns_and_reparses_on_next_ingest(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db)
    _make_schema_1(db)
    again = ingest([corpus], db)
    assert (again.updated, again.skipped) == (2, 0)  # the old rows lack the new columns: parsed again
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(*), count(flags), count(confidence) FROM targets")
        assert rows[0][0] == rows[0][1] == rows[0][2] > 10
        _, rows = store.query("SELECT value FROM meta WHERE key = 'schema_version'")
        assert rows == [("2",)]
    assert ingest([corpus], db).skipped == 2


def test_value_confidence_and_flags_survive_the_record_round_trip(tmp_path, corpus):
    from govreport.model import report_from_dict
    from govreport.parsing.pipeline import parse

    report = parse(corpus / "000_30198e5ba9ff0909.txt")[0]
    report.targets[0].confidence, report.targets[0].flags = 0.42, ["implausible_range"]
    back = report_from_dict(report.to_dict())
    assert (back.targets[0].confidence, back.targets[0].flags) == (0.42, ["implausible_range"])
    assert back.targets == report.targets
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.add([report])
        _, rows = store.query("SELECT confidence, flags FROM targets WHERE idx = 0")
        assert rows == [(0.42, "implausible_range")]
        assert store.report(report_id(report)).targets[0].flags == ["implausible_range"]
