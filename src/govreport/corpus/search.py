"""A positional character-bigram index of the report texts, kept in the corpus database beside the reports.

A search for a Chinese term must be exact (every report that contains it, at its first occurrence) and fast on
10,000 reports: a scan of every text reads ~420 MB of UTF-8 (0.3–2 s). The index answers from positions
alone, without reading any text: a text contains ``q`` at ``s`` exactly when, for every ``i``, the bigram
starting at ``s + i`` is ``q[i:i+2]``. Every character starts one bigram (the last one pairs with END), so a
one-character query is the bigrams that start with it.

Layout (chosen for DuckDB, which scans columns and prunes nothing without sorted data): one row per bigram
per indexed *group* of reports (one store transaction), its postings (the group's documents holding it and
their positions) in one blob of varints. A lookup scans only the ``gram`` column (about a million rows at
10,000 reports), then intersects positions in numpy. ``search_docs`` maps a document number (never reused) to
its report; a report replaced or removed loses its ``search_docs`` row in the same transaction, so its stale
postings are ignored, and a group with no live document left is dropped. ``search_chunks`` keeps the texts
again in small pieces, for the context around a hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

END = 0x110000  # one past the last code point: the partner of a text's last character
SHIFT = 21  # bits of a code point (END included)
SCHEMA = """
CREATE TABLE IF NOT EXISTS search_docs (doc INTEGER, report_id VARCHAR, grp INTEGER);
CREATE TABLE IF NOT EXISTS search_grams (grp INTEGER, gram BIGINT, postings BLOB);
CREATE TABLE IF NOT EXISTS search_chunks (doc INTEGER, chunk INTEGER, text VARCHAR);
"""
CHUNK = 64  # characters of text per search_chunks row: a hit's context reads a few small rows, not a text
NEXT_DOC = "search_next_doc"  # meta key: the next unused document number
ENABLED = "search_index"  # meta key: 'on' once the corpus keeps the index
REBUILD_GROUP = 500  # reports indexed per group when an existing database is indexed


def grams_of(text: str) -> np.ndarray:
    """The bigram starting at each position of ``text`` as one integer (first code point << 21 | second)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    return (codes << SHIFT) | np.append(codes[1:], END)


def query_grams(query: str) -> list[tuple[int, int]]:
    """(offset in the query, bigram) of every bigram a match of ``query`` must have, END excluded."""
    codes = [ord(c) for c in query]
    return [(i, (a << SHIFT) | b) for i, (a, b) in enumerate(zip(codes, codes[1:]))]


def group_table(grp: int, docs: Sequence[int], texts: Sequence[str]) -> pa.Table:
    """The ``search_grams`` rows of one group: per bigram, the documents holding it and their positions.

    Vectorised (no Python loop per bigram: a group has ~50,000): the group's bigrams are concatenated
    document after document and stably sorted by bigram, so documents and positions stay ascending within a
    bigram. Each bigram's postings are the numbers [documents, doc − grp ..., count per doc ..., position
    gaps ...] (a document's first position is its own gap), written with ``pack``."""
    parts = [grams_of(t) for t in texts]
    lengths = np.array([len(p) for p in parts], dtype=np.int64)
    grams = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    doc = np.repeat(np.asarray(docs, dtype=np.int64) - grp, lengths)
    pos = np.arange(len(grams), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    if len(grams) < 1 << SHIFT:  # bigram and index as one unique number: a plain (fast) sort keeps the order
        keys = np.sort((grams << SHIFT) | np.arange(len(grams)))
        order, grams = keys & ((1 << SHIFT) - 1), keys >> SHIFT
    else:
        order = np.argsort(grams, kind="stable")
        grams = grams[order]
    doc, pos = doc[order], pos[order]
    new_gram = np.ones(len(grams), dtype=bool)
    new_gram[1:] = grams[1:] != grams[:-1]
    new_list = new_gram.copy()
    new_list[1:] |= doc[1:] != doc[:-1]
    gaps = pos - np.where(new_list, 0, np.append(0, pos[:-1]))
    # where each number goes: bigram s holds 1 + 2·L_s + P_s numbers (L_s documents, P_s positions)
    seg = np.cumsum(new_gram) - 1  # bigram of each position
    heads = np.flatnonzero(new_list)  # first position of each (bigram, document) list
    lists = np.bincount(seg[heads], minlength=seg[-1] + 1 if len(seg) else 0)
    sizes = np.bincount(seg, minlength=len(lists))
    start = np.cumsum(1 + 2 * lists + sizes) - (1 + 2 * lists + sizes)
    values = np.empty(int(np.sum(1 + 2 * lists + sizes)), dtype=np.int64)
    values[start] = lists
    k = np.arange(len(heads)) - np.repeat(np.cumsum(lists) - lists, lists)  # a list's rank in its bigram
    values[start[seg[heads]] + 1 + k] = doc[heads]
    values[start[seg[heads]] + 1 + lists[seg[heads]] + k] = np.diff(np.append(heads, len(pos)))
    m = np.arange(len(pos)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    values[start[seg] + 1 + 2 * lists[seg] + m] = gaps
    data, ends = pack(values, np.cumsum(1 + 2 * lists + sizes))
    offsets = pa.py_buffer(np.append(0, ends).astype(np.int32).tobytes())
    blobs = pa.Array.from_buffers(pa.binary(), len(lists), [None, offsets, pa.py_buffer(data.tobytes())])
    return pa.table({"grp": pa.array(np.full(len(lists), grp, dtype=np.int32)),
                     "gram": pa.array(grams[new_gram]), "postings": blobs})


def pack(values: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative numbers (< 2^35) as varints: 7 bits a byte, the top bit set on every byte but a number's
    last. Returns the bytes and the byte offset where the numbers before each of ``ends`` stop."""
    width = np.ones(len(values), dtype=np.int64)
    for k in range(1, 5):
        width += values >= (1 << (7 * k))
    at = np.cumsum(width) - width
    data = np.empty(int(width.sum()), dtype=np.uint8)
    data[at] = (values & 0x7F) | ((width > 1) << 7)
    sel = np.flatnonzero(width > 1)
    for k in range(1, 5):  # byte k of the numbers that have one (fewer at each step)
        data[at[sel] + k] = ((values[sel] >> (7 * k)) & 0x7F) | ((width[sel] > k + 1) << 7)
        sel = sel[width[sel] > k + 1]
    return data, np.append(at, len(data))[ends]


def decode(blobs: Sequence[bytes], grps: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(blob, document, position) of every position the ``group_table`` blobs hold, all blobs at once."""
    data = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    last = (data & 0x80) == 0
    value_of = np.cumsum(last) - last  # the number each byte belongs to
    shift = np.arange(len(data)) - np.append(0, np.flatnonzero(last) + 1)[value_of]
    values = np.bincount(value_of, weights=(data & 0x7F).astype(np.int64) << (7 * shift)).astype(np.int64)
    starts = np.searchsorted(np.flatnonzero(last), np.cumsum([0, *map(len, blobs)])[:-1])  # first number
    n = values[starts]
    counts_at = np.repeat(starts + 1 + n, n) + _ranks(n)
    counts = values[counts_at]
    docs = values[counts_at - np.repeat(n, n)] + np.repeat(np.asarray(grps, dtype=np.int64), n)
    per_blob = np.bincount(np.repeat(np.arange(len(blobs)), n), weights=counts, minlength=len(blobs)).astype(np.int64)
    gaps = values[np.repeat(starts + 1 + 2 * n, per_blob) + _ranks(per_blob)]
    total = np.cumsum(gaps)
    before = np.append(0, total)[np.cumsum(counts) - counts]  # the running sum where each list starts
    return (np.repeat(np.arange(len(blobs)), per_blob), np.repeat(docs, counts),
            total - np.repeat(before, counts))


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, … sizes[0]−1, 0, 1, … sizes[1]−1, …"""
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def add(con: duckdb.DuckDBPyConnection, reports: Sequence[tuple[str, str]]) -> None:
    """Index ``(report_id, text)`` pairs as one group (inside the caller's transaction, so the index always
    matches the reports: both are written or neither)."""
    if not reports:
        return
    row = con.execute("SELECT value FROM meta WHERE key = ?", [NEXT_DOC]).fetchall()
    first = int(row[0][0]) if row else 1
    docs = list(range(first, first + len(reports)))
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [NEXT_DOC, str(first + len(reports))])
    con.from_arrow(pa.table({"doc": pa.array(docs, pa.int32()), "report_id": [rid for rid, _ in reports],
                             "grp": pa.array([first] * len(docs), pa.int32())})).insert_into("search_docs")
    con.from_arrow(group_table(first, docs, [text or "" for _, text in reports])).insert_into("search_grams")
    pieces = [(doc, k // CHUNK, (text or "")[k:k + CHUNK]) for doc, (_, text) in zip(docs, reports)
              for k in range(0, len(text or ""), CHUNK)]
    con.from_arrow(pa.table({"doc": pa.array([p[0] for p in pieces], pa.int32()),
                             "chunk": pa.array([p[1] for p in pieces], pa.int32()),
                             "text": pa.array([p[2] for p in pieces], pa.string())})).insert_into("search_chunks")


def remove(con: duckdb.DuckDBPyConnection, report_ids: Sequence[str]) -> None:
    """Forget reports (being replaced or deleted) and drop the groups none of whose documents is left."""
    if not report_ids:
        return
    con.execute("DELETE FROM search_chunks WHERE doc IN (SELECT doc FROM search_docs WHERE report_id IN"
                " (SELECT unnest(?)))", [list(report_ids)])
    con.execute("DELETE FROM search_docs WHERE report_id IN (SELECT unnest(?))", [list(report_ids)])
    con.execute("DELETE FROM search_grams WHERE grp NOT IN (SELECT DISTINCT grp FROM search_docs)")


def enabled(con: duckdb.DuckDBPyConnection) -> bool:
    """Does this corpus keep the index? It is opt-in (``serve`` builds it, or ``ingest --search-index``): the
    postings take about 3 bytes per text character and 3-7 ms of the writer per report, a cost a corpus used
    only for panels should not pay. An index built before the switch existed counts as kept."""
    if not _has_index(con):
        return False
    on = con.execute("SELECT value FROM meta WHERE key = ?", [ENABLED]).fetchall()
    return (bool(on) and on[0][0] == "on") or bool(con.execute("SELECT 1 FROM search_docs LIMIT 1").fetchall())


def enable(con: duckdb.DuckDBPyConnection, progress: Callable[[int], None] | None = None) -> int:
    """Keep the index from now on and index what is stored; returns how many reports were indexed."""
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, 'on')", [ENABLED])
    return complete(con, progress)


def indexed(con: duckdb.DuckDBPyConnection) -> bool:
    """Does the database hold the index, with every stored report in it?"""
    return _has_index(con) and missing(con) == 0


def _has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Are the index tables there (not in a database from before the index opened read-only)?"""
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database()"
                       " AND table_name IN ('search_docs', 'search_grams', 'search_chunks')").fetchall()[0][0] == 3


def missing(con: duckdb.DuckDBPyConnection) -> int:
    """Stored reports the index does not hold (all of them in a database from before the index)."""
    return con.execute("SELECT count(*) FROM reports r ANTI JOIN search_docs d USING (report_id)").fetchall()[0][0]


def complete(con: duckdb.DuckDBPyConnection, progress: Callable[[int], None] | None = None) -> int:
    """Index the stored reports the index lacks and forget documents whose report is gone, in groups of
    REBUILD_GROUP, each in its own transaction (an interrupted run keeps what it finished). Returns how many
    reports were indexed."""
    stale = [r[0] for r in con.execute(
        "SELECT DISTINCT report_id FROM search_docs ANTI JOIN reports USING (report_id)").fetchall()]
    if stale:
        con.execute("BEGIN TRANSACTION")
        remove(con, stale)
        con.execute("COMMIT")
    ids = [r[0] for r in con.execute(
        "SELECT report_id FROM reports ANTI JOIN search_docs USING (report_id) ORDER BY report_id").fetchall()]
    for k in range(0, len(ids), REBUILD_GROUP):
        chunk = ids[k:k + REBUILD_GROUP]
        rows = con.execute("SELECT report_id, text FROM reports WHERE report_id IN (SELECT unnest(?))",
                           [chunk]).fetchall()
        con.execute("BEGIN TRANSACTION")
        try:
            add(con, rows)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        if progress:
            progress(k + len(chunk))
    return len(ids)


def lookup(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, tuple[int, int]]:
    """Every stored report containing ``query`` -> (offset of its first occurrence, number of occurrences),
    overlapping ones counted. From the index, plus a scan of the reports it does not hold yet (a database from
    before the index opened read-only, or indexed while being served)."""
    if not query:
        return {}
    if not _has_index(con):
        return _scan(con, query, None)
    found = find(con, query)
    rest = [r[0] for r in con.execute("SELECT report_id FROM reports ANTI JOIN search_docs USING (report_id)"
                                      ).fetchall()]
    return {**found, **_scan(con, query, rest)} if rest else found


def _scan(con: duckdb.DuckDBPyConnection, query: str, ids: list[str] | None) -> dict[str, tuple[int, int]]:
    """``lookup`` by reading the texts (of ``ids``, or of every report)."""
    where, params = ("report_id IN (SELECT unnest(?)) AND ", [ids]) if ids is not None else ("", [])
    rows = con.execute(f"SELECT report_id, text FROM reports WHERE {where}contains(text, ?)", [*params, query])
    pattern = re.compile(f"(?={re.escape(query)})")
    out = {}
    while batch := rows.fetchmany(100):
        for rid, text in batch:
            out[rid] = (text.index(query), sum(1 for _ in pattern.finditer(text)))
    return out


def find(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, tuple[int, int]]:
    """Every indexed report containing ``query`` -> (offset of its first occurrence as a Python string index
    into the report text, number of occurrences), from the index alone."""
    if not query:
        return {}
    pairs = query_grams(query)
    if pairs:
        table = _arrow(con, "SELECT grp, gram, postings FROM search_grams WHERE gram IN (SELECT unnest($1))",
                       [sorted({g for _, g in pairs})])
    else:  # one character: every bigram that starts with it
        lo = ord(query) << SHIFT
        table = _arrow(con, "SELECT grp, gram, postings FROM search_grams WHERE gram BETWEEN $1 AND $2",
                       [lo, lo | ((1 << SHIFT) - 1)])
        pairs = [(0, -1)]
    if pairs[0][1] >= 0 and len(pairs) > 2:
        pairs = cover(pairs, table)
        table = table.filter(pc.is_in(table["gram"], pa.array(sorted({g for _, g in pairs}), pa.int64())))
    blob, doc, pos = decode(table["postings"].to_pylist(), table["grp"].to_pylist())
    gram_of = np.asarray(table["gram"].to_pylist() if pairs[0][1] >= 0 else [-1] * table.num_rows,
                         dtype=np.int64)[blob]

    def starts(offset: int, gram: int) -> np.ndarray:  # doc << 32 | start of the matches this bigram allows
        mine = (gram_of == gram) & (pos >= offset)
        return (doc[mine] << 32) | (pos[mine] - offset)

    # candidates from the rarest bigram; each other bigram keeps those it also allows (no sort of the others)
    pairs.sort(key=lambda p: int(np.count_nonzero(gram_of == p[1])))
    keys = np.sort(starts(*pairs[0]))
    for offset, gram in pairs[1:]:
        if not len(keys):
            return {}
        other = starts(offset, gram)
        at = np.minimum(np.searchsorted(keys, other), len(keys) - 1)
        keep = np.zeros(len(keys), dtype=bool)
        keep[at[keys[at] == other]] = True
        keys = keys[keep]
    if not len(keys):
        return {}
    docs, first, counts = np.unique(keys >> 32, return_index=True, return_counts=True)  # sorted: first = first match
    hits = {int(d): (int(keys[i] & 0xFFFFFFFF), int(n)) for d, i, n in zip(docs, first, counts)}
    rows = con.execute("SELECT doc, report_id FROM search_docs WHERE doc IN (SELECT unnest(?))",
                       [list(hits)]).fetchall()
    return {rid: hits[doc] for doc, rid in rows}


def contexts(con: duckdb.DuckDBPyConnection, starts: dict[str, int], length: int,
             width: int) -> dict[str, tuple[str, str]]:
    """(up to ``width`` characters before, up to ``width`` after) a hit of ``length`` characters at each report's
    offset in ``starts``, read from the few ``search_chunks`` rows around it (a report's text is one large
    compressed value: reading 50 of them costs a scan of the table). Reports the index lacks read their text."""
    docs = dict(con.execute("SELECT report_id, doc FROM search_docs WHERE report_id IN (SELECT unnest(?))",
                            [list(starts)]).fetchall()) if _has_index(con) else {}
    spans = {rid: (max(0, s - width), s, s + length, s + length + width) for rid, s in starts.items()}
    out: dict[str, tuple[str, str]] = {}
    if docs:
        # one branch per hit with the numbers written in (our own integers): each branch's scan is pruned to
        # the row group holding that document (an IN list is not, and read every piece of text)
        rows = con.execute(" UNION ALL ".join(
            f"SELECT doc, chunk, text FROM search_chunks WHERE doc = {int(docs[rid])}"
            f" AND chunk BETWEEN {a // CHUNK} AND {(d - 1) // CHUNK}" for rid, (a, _, _, d) in spans.items()
            if rid in docs)).fetchall()
        pieces = {(d, k): t for d, k, t in rows}
        for rid, doc in docs.items():
            a, s, e, d = spans[rid]
            first = a // CHUNK
            text = "".join(pieces.get((doc, k), "") for k in range(first, (d - 1) // CHUNK + 1))
            out[rid] = (text[a - first * CHUNK:s - first * CHUNK], text[e - first * CHUNK:d - first * CHUNK])
    rest = [rid for rid in starts if rid not in docs]
    if rest:
        for rid, before, after in con.execute(
                "SELECT r.report_id, substr(r.text, q.a + 1, q.s - q.a), substr(r.text, q.e + 1, ?) FROM reports r"
                " JOIN (SELECT unnest(?) AS id, unnest(?) AS a, unnest(?) AS s, unnest(?) AS e) q ON r.report_id = q.id",
                [width, rest, [spans[r][0] for r in rest], [spans[r][1] for r in rest],
                 [spans[r][2] for r in rest]]).fetchall():
            out[rid] = (before, after)
    return out


def cover(pairs: list[tuple[int, int]], table: pa.Table) -> list[tuple[int, int]]:
    """The cheapest bigrams of a query that still cover every one of its characters (by the size of their
    postings): a text holding them at their offsets holds the query, so the others need not be decoded.
    Bigram i covers characters i and i+1, so the one chosen before it is at i−1 or i−2, and the last is at
    the end."""
    sizes: dict[int, int] = {}
    for gram, blob in zip(table["gram"].to_pylist(), table["postings"].to_pylist()):
        sizes[gram] = sizes.get(gram, 0) + len(blob)
    best: list[tuple[int, list[tuple[int, int]]]] = []  # per offset: (cost, chosen) of a cover ending there
    for i, (offset, gram) in enumerate(pairs):
        before = [best[j] for j in (i - 1, i - 2) if j >= 0]
        cost, chosen = min(before, key=lambda c: c[0]) if i else (0, [])
        best.append((cost + sizes.get(gram, 0), [*chosen, (offset, gram)]))
    return best[-1][1]


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pa.Table:
    """A query's rows as Arrow, on a cursor of its own (the connection may hold a half-read result)."""
    with con.cursor() as cur:
        return cur.sql(sql, params=params).to_arrow_table()
