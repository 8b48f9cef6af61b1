"""The positional bigram index of the report texts (corpus.search): it finds exactly what a scan of the texts
finds, at the same first offset, and stays exact through re-ingest, replaced files, older databases and a
write that fails half-way."""

from __future__ import annotations

import random
import shutil

import pytest

from govreport.corpus import search
from govreport.corpus.store import Store, ingest

FILES = ("000_30198e5ba9ff0909.txt", "004_fd770ef22fe975fd.txt", "001_856a73ee7808871b.txt")


@pytest.fixture()
def corpus(tmp_path, seeds_dir):
    files = tmp_path / "in"
    files.mkdir()
    for name in FILES:
        shutil.copy(seeds_dir / name, files / name)
    return files


def scanned(store: Store, query: str) -> dict[str, tuple[int, int]]:
    """What reading every text gives: report -> (first offset, occurrences, overlapping ones counted)."""
    _, rows = store.query("SELECT report_id, text FROM reports")
    return {rid: (text.index(query), sum(text.startswith(query, i) for i in range(len(text))))
            for rid, text in rows if query in text}


def queries(store: Store) -> list[str]:
    """ASCII, one character, common and rare Chinese terms, punctuation, a line break, absent terms, and
    pieces of 1-16 characters cut at random from the real texts (so nearly every one is found somewhere)."""
    fixed = ["GDP", "%", "2024", "5", "的", "区", "。", "\n", "，\n", "民生实事", "营商环境", "高质量发展",
             "地区生产总值增长", "不存在的词语组合", "Z", "哈哈哈"]
    _, rows = store.query("SELECT text FROM reports ORDER BY report_id")
    rng = random.Random(7)
    cut = []
    for _ in range(200):
        text = rng.choice(rows)[0]
        start = rng.randrange(len(text) - 20)
        cut.append(text[start:start + rng.randint(1, 16)])
    return fixed + cut


def test_index_finds_exactly_what_a_scan_finds(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db, search_index=True)
    with Store(db, read_only=True) as store:
        for q in queries(store):
            assert search.lookup(store.con, q) == scanned(store, q), q
        assert search.find(store.con, "") == {}


def test_index_follows_changed_and_replaced_files(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db, search_index=True)
    path = corpus / FILES[0]
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("政府工作报告", "政府工作报吿", 1) + "\n新增一句：数字乡村试点扩面。\n",
                    encoding="utf-8")
    ingest([corpus], db, search_index=True)
    with Store(db, read_only=True) as store:
        assert len(search.lookup(store.con, "数字乡村试点扩面")) == 1
        for q in ("政府工作报吿", "政府工作报告", "数字乡村", "。\n"):
            assert search.lookup(store.con, q) == scanned(store, q), q
    path.write_text(original, encoding="utf-8")  # back again: the added sentence is gone from the corpus
    ingest([corpus], db, force=True)  # every report replaced: the old index groups have no document left
    with Store(db, read_only=True) as store:
        assert search.lookup(store.con, "数字乡村试点扩面") == {}
        _, docs = store.query("SELECT count(*), count(DISTINCT report_id) FROM search_docs")
        _, reports = store.query("SELECT count(*) FROM reports")
        assert docs[0] == (reports[0][0], reports[0][0])
        _, groups = store.query("SELECT count(DISTINCT grp) FROM search_grams WHERE grp NOT IN"
                                " (SELECT grp FROM search_docs)")
        assert groups[0][0] == 0


def test_a_database_without_the_index_is_searched_exactly_and_indexed_when_opened_for_writing(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db, search_index=True)
    with Store(db) as store:  # as a database from before the index
        store.con.execute("DROP TABLE search_docs; DROP TABLE search_grams")
    with Store(db, read_only=True) as store:  # read-only: no index to use, the texts are scanned
        assert search.lookup(store.con, "营商环境") == scanned(store, "营商环境")
    with Store(db) as store:
        assert search.missing(store.con) == 0
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM reports)")
        assert rows[0][0] == rows[0][1] > 3
        for q in queries(store)[:40]:
            assert search.find(store.con, q) == scanned(store, q), q


def test_index_is_written_with_the_reports_or_not_at_all(tmp_path, corpus, monkeypatch):
    db = tmp_path / "c.duckdb"
    ingest([corpus / FILES[0]], db, search_index=True)

    def broken(con, reports):
        raise OSError("disk full while indexing")

    monkeypatch.setattr(search, "add", broken)
    with pytest.raises(OSError):
        ingest([corpus], db, search_index=True)
    monkeypatch.undo()
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(DISTINCT path) FROM reports")
        assert rows[0][0] == 1  # the failed group left nothing behind, in the reports or in the index
        assert search.missing(store.con) == 0
        assert search.find(store.con, "营商环境") == scanned(store, "营商环境")


def test_serving_an_older_database_indexes_it_first_and_the_list_shows_each_hit_in_context(tmp_path, corpus):
    from govreport.web.data import Filters, open_corpus

    db = tmp_path / "c.duckdb"
    ingest([corpus], db, search_index=True)
    with Store(db) as store:
        store.con.execute("DROP TABLE search_docs; DROP TABLE search_grams")
    view = open_corpus(db)
    assert search.indexed(view.store.con)
    found = scanned(view.store, "营商环境")
    page = view.list_reports(Filters(q="营商环境", per=10))
    assert page["total"] == len(found) > 1
    for row in page["rows"]:
        hit = row["hits"][0]
        text = view.report(row["id"]).text
        assert hit["start"] == found[row["id"]][0]
        assert text[hit["start"] - len(hit["before"]):hit["start"]].replace("\n", " ") == hit["before"]
        assert text[hit["start"]:hit["start"] + 4 + len(hit["after"])].replace("\n", " ") == "营商环境" + hit["after"]


def test_hit_contexts_are_the_text_around_the_hit_with_or_without_the_index(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db, search_index=True)
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT report_id, text FROM reports")
        texts = dict(rows)
        starts = {rid: s for rid, s in zip(texts, (0, 5, 100, 4000, len(texts[next(iter(texts))]) - 3))}
        want = {rid: (texts[rid][max(0, s - 30):s], texts[rid][s + 3:s + 33]) for rid, s in starts.items()}
        assert search.contexts(store.con, starts, 3, 30) == want
    with Store(db) as store:
        store.con.execute("DROP TABLE search_docs; DROP TABLE search_grams")
    with Store(db, read_only=True) as store:
        assert search.contexts(store.con, starts, 3, 30) == want


def test_a_corpus_keeps_no_index_unless_asked_and_serving_builds_it_once(tmp_path, corpus):
    # the postings cost ~3 bytes per character and writer time: a corpus used for panels does without them
    from govreport.web.data import open_corpus

    db = tmp_path / "c.duckdb"
    ingest([corpus], db)
    with Store(db, read_only=True) as store:
        assert not search.enabled(store.con) and store.query("SELECT count(*) FROM search_docs")[1][0][0] == 0
        assert search.lookup(store.con, "营商环境") == scanned(store, "营商环境")  # found by reading the texts
    view = open_corpus(db)  # serve: the index is built once, and ingest keeps it from then on
    assert search.indexed(view.store.con)
    view.close()
    ingest([corpus], db, force=True)
    with Store(db, read_only=True) as store:
        assert search.enabled(store.con) and search.missing(store.con) == 0


def test_texts_past_65536_characters_and_large_groups_are_indexed_exactly(tmp_path, corpus):
    # positions keep their low 16 bits per entry and the block in the entry's key: hits on both sides of a
    # block boundary, and a phrase that straddles one, are found at their true offsets
    text = "".join((corpus / name).read_text(encoding="utf-8") for name in FILES)
    long = (text * (200_000 // len(text) + 1))[:200_000]
    assert search.groups([len(long), 10, 5000]) == [0]
    assert search.groups([10] * 1100) == [0, 512, 1024]  # at most MERGE_MAX documents a group
    assert search.groups([300_000] * 20_000)[:3] == [0, 512, 1024]
    assert search.groups([1 << 31] * 5) == [0, 2, 4]  # 15 block bits leave one for the document
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        search.enable(store.con)
        store.con.execute("BEGIN TRANSACTION")
        search.add(store.con, [("long", long), ("short", text[:5000]), ("empty", "")])
        store.con.execute("COMMIT")
        texts = {"long": long, "short": text[:5000]}
        rng = random.Random(3)
        cut = [long[s:s + rng.randint(1, 12)] for s in [65_530, 65_535, 131_070, *(rng.randrange(199_990)
                                                                                   for _ in range(150))]]
        for q in ["的", "。\n", "营商环境", long[65_530:65_542], long[-3:], *cut]:
            want = {rid: (t.index(q), sum(t.startswith(q, i) for i in range(len(t)))) for rid, t in texts.items()
                    if q in t}
            assert search.find(store.con, q) == want, q


def test_an_index_in_the_layout_of_before_is_rebuilt_when_opened_for_writing(tmp_path, corpus):
    db = tmp_path / "c.duckdb"
    ingest([corpus], db, search_index=True)
    with Store(db) as store:  # the varint layout: one postings blob per row, and the texts in 64-character pieces
        store.con.execute("DROP TABLE search_docs; DROP TABLE search_grams")
        store.con.execute("CREATE TABLE search_docs (doc INTEGER, report_id VARCHAR, grp INTEGER);"
                          "CREATE TABLE search_grams (grp INTEGER, gram BIGINT, postings BLOB);"
                          "CREATE TABLE search_chunks (doc INTEGER, chunk INTEGER, text VARCHAR);"
                          "INSERT INTO search_docs SELECT 1, report_id, 1 FROM reports LIMIT 1;"
                          "DELETE FROM meta WHERE key = 'search_index'")
    with Store(db, read_only=True) as store:  # read-only: that index is not used, the texts are read instead
        assert not search.indexed(store.con)
        assert search.lookup(store.con, "营商环境") == scanned(store, "营商环境")
    with Store(db) as store:
        assert search.enabled(store.con) and search.indexed(store.con)
        assert store.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'search_chunks'"
                           )[1][0][0] == 0
        for q in queries(store)[:60]:
            assert search.find(store.con, q) == scanned(store, q), q


def test_a_search_view_counts_and_facets_as_separate_queries_would(tmp_path, corpus):
    from govreport.web.data import FACETS, CorpusView, Filters, where_sql

    db = tmp_path / "c.duckdb"
    ingest([corpus], db, search_index=True)
    view = CorpusView(db)
    for filters in (Filters(), Filters(q="营商环境"), Filters(q="的", level="prefecture"), Filters(q="不存在的词语组合"),
                    Filters(level="nation")):
        where, params = where_sql(filters, view.matches(filters.q))
        total, facets = view.summary(filters)
        assert total == view.store.query(f"SELECT count(*) FROM reports{where}", params)[1][0][0]
        for name, expr in FACETS.items():
            _, rows = view.store.query(f"SELECT {expr} AS v, count(*) AS n FROM reports{where}"
                                       " GROUP BY v HAVING v IS NOT NULL ORDER BY n DESC, v LIMIT 40", params)
            assert facets[name] == [(v, n) for v, n in rows], (filters, name)
    view.close()


def test_small_groups_are_merged_and_stay_exact_through_removals(tmp_path, corpus, monkeypatch):
    # every ingest transaction writes a group; lookups read one row per bigram per group, so the newest groups
    # are merged once four of them fit MERGE_MAX documents, dropping the postings of removed reports
    texts = [(corpus / name).read_text(encoding="utf-8") for name in FILES]
    rng = random.Random(5)
    docs = {f"r{i}": texts[i % 3][rng.randrange(2000):] for i in range(14)}
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        search.enable(store.con)
        for k, (rid, text) in enumerate(docs.items()):
            store.con.execute("BEGIN TRANSACTION")
            search.add(store.con, [(rid, text)])
            if k == 9:
                search.remove(store.con, ["r2", "r7"])
            store.con.execute("COMMIT")
        del docs["r2"], docs["r7"]
        _, groups = store.query("SELECT grp, count(*) FROM search_docs GROUP BY grp ORDER BY grp")
        assert [n for _, n in groups] == [11, 1]
        _, rows = store.query("SELECT count(*) FROM search_grams WHERE grp NOT IN (SELECT grp FROM search_docs)")
        assert rows[0][0] == 0
        for q in ["的", "营商环境", "。\n", *(t[s:s + rng.randint(1, 9)] for t in texts for s in
                                         (rng.randrange(len(t) - 10) for _ in range(40)))]:
            want = {rid: (t.index(q), sum(t.startswith(q, i) for i in range(len(t)))) for rid, t in docs.items()
                    if q in t}
            assert search.find(store.con, q) == want, q
    monkeypatch.setattr(search, "MERGE_MAX", 5)
    with Store(tmp_path / "d.duckdb") as store:
        search.enable(store.con)
        for k in range(9):
            search.add(store.con, [(f"r{k}", texts[0][k:])])
        _, groups = store.query("SELECT count(*) FROM search_docs GROUP BY grp ORDER BY grp")
        assert [n for n, in groups] == [4, 4, 1]  # 4 + 1 + 1 + 1 is over 5: the second four waited for each other
        assert search.find(store.con, "营商环境") == {f"r{k}": (texts[0].index("营商环境") - k, texts[0].count("营商环境"))
                                                     for k in range(9)}
