"""A positional character-bigram index of the report texts, kept in the corpus database beside the reports.

A search for a Chinese term must be exact (every report that contains it, at its first occurrence) and fast on
10,000 reports: a scan of every text reads ~420 MB of UTF-8 (0.3–2 s). The index answers from positions
alone, without reading any text: a text contains ``q`` at ``s`` exactly when, for every ``i``, the bigram
starting at ``s + i`` is ``q[i:i+2]``. Every character starts one bigram (the last one pairs with END), so a
one-character query is the bigrams that start with it.

Layout (chosen for DuckDB, which scans columns and prunes nothing without sorted data): one row per bigram
per indexed *group* of reports, its postings (``group_table``) as fixed-width uint16 numbers that numpy uses
in place: per document (entry) a key and a count, then the positions. A lookup scans only the ``gram`` column,
takes the documents holding every bigram of the query, lists the positions there of its rarest bigram and
keeps those where each other bigram sits at its offset, found by binary searches (``Postings.holds``): the
positions of a common bigram (发展: a million) are probed, never decoded. One or two characters need the
entries alone (first position and count). ``search_docs`` maps a document number (never reused) to its
report and keeps its text uncompressed (the context around a hit is read from there in one query); a report
replaced or removed loses its ``search_docs`` row in the same transaction, so its stale postings are ignored,
dropped when its group is merged (``compact``: every ingest transaction writes a group, and a lookup reads one
row per bigram per group), and a group with no live document left is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import duckdb
import numpy as np
import pyarrow as pa

END = 0x110000  # one past the last code point: the partner of a text's last character
SHIFT = 21  # bits of a code point (END included)
SCHEMA = """
CREATE TABLE IF NOT EXISTS search_docs (doc INTEGER, report_id VARCHAR, grp INTEGER,
                                       text VARCHAR USING COMPRESSION uncompressed);
CREATE TABLE IF NOT EXISTS search_grams (grp INTEGER, gram BIGINT, bits TINYINT, entries INTEGER, postings BLOB);
"""
NEXT_DOC = "search_next_doc"  # meta key: the next unused document number
ENABLED = "search_index"  # meta key: 'on' once the corpus keeps the index
REBUILD_BATCH = 4000  # reports indexed per transaction (in groups of MERGE_MAX) when a database is indexed
MERGE_FACTOR, MERGE_MAX = 4, 512  # the newest groups are merged, at least 4, up to 512 documents (``compact``)
MERGE_SLICE = 5_000  # bigrams merged at a time (bounds the memory of a merge)


def grams_of(text: str) -> np.ndarray:
    """The bigram starting at each position of ``text`` as one integer (first code point << 21 | second)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    return (codes << SHIFT) | np.append(codes[1:], END)


def query_grams(query: str) -> list[tuple[int, int]]:
    """(offset in the query, bigram) of every bigram a match of ``query`` must have, END excluded."""
    codes = [ord(c) for c in query]
    return [(i, (a << SHIFT) | b) for i, (a, b) in enumerate(zip(codes, codes[1:]))]


def group_table(grp: int, docs: Sequence[int], texts: Sequence[str]) -> pa.Table:
    """The ``search_grams`` rows of one group (cut by ``groups``): per bigram, its *entries* and
    their positions.

    An entry is one document (and 65,536-character block of it) holding the bigram. A row's ``postings`` are
    uint16 numbers: its ``entries`` keys ((document − grp) << ``bits`` | block), then their position counts − 1
    (a block holds at most 65,536), then the low 16 bits of every position, ascending within an entry. Fixed
    widths let a lookup use the bytes as they come (no decoding) and read only what it probes.
    Vectorised (no Python loop per bigram: a group has ~50,000): the group's bigrams are concatenated
    document after document and stably sorted by bigram, so documents and positions stay ascending."""
    parts = [grams_of(t) for t in texts]
    lengths = np.array([len(p) for p in parts], dtype=np.int64)
    bits = _block_bits(lengths)
    if len(docs) << bits > 1 << 16:
        raise ValueError(f"{len(docs)} documents of up to {lengths.max()} characters do not fit one group")
    grams = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    doc = np.repeat(np.asarray(docs, dtype=np.int64) - grp, lengths)
    pos = np.arange(len(grams), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    if len(grams) < 1 << SHIFT:  # bigram and index as one unique number: a plain (fast) sort keeps the order
        keys = np.sort((grams << SHIFT) | np.arange(len(grams)))
        order, grams = keys & ((1 << SHIFT) - 1), keys >> SHIFT
    else:
        order = np.argsort(grams, kind="stable")
        grams = grams[order]
    pos = pos[order]
    entry = (doc[order] << bits) | (pos >> 16)
    new_entry = np.ones(len(grams), dtype=bool)
    new_entry[1:] = (grams[1:] != grams[:-1]) | (entry[1:] != entry[:-1])
    heads = np.flatnonzero(new_entry)
    return _rows(grp, bits, grams[heads], entry[heads], np.diff(np.append(heads, len(grams))), pos & 0xFFFF)


def _rows(grp: int, bits: int, grams: np.ndarray, keys: np.ndarray, counts: np.ndarray, low: np.ndarray) -> pa.Table:
    """``search_grams`` rows from entries ordered by (bigram, key): each entry's bigram, key and number of
    positions, and the low 16 bits of all their positions in that order."""
    heads = _heads(grams)
    n = np.diff(np.append(heads, len(grams)))  # entries per row
    row = np.repeat(np.arange(len(heads)), n)  # of each entry
    positions = np.bincount(row, weights=counts, minlength=len(heads)).astype(np.int64)
    size = 2 * n + positions  # numbers per row
    base = np.cumsum(size) - size
    at = base[row] + _ranks(n)
    values = np.empty(int(size.sum()), dtype=np.uint16)
    values[at] = keys
    values[at + n[row]] = counts - 1
    prow = np.repeat(row, counts)  # the row of each position
    values[base[prow] + 2 * n[prow] + _ranks(positions)] = low
    offsets = pa.py_buffer((np.append(0, np.cumsum(size)) * 2).astype(np.int64).tobytes())
    return pa.table({"grp": pa.array(np.full(len(heads), grp, dtype=np.int32)),
                     "gram": pa.array(grams[heads]),
                     "bits": pa.array(np.full(len(heads), bits, dtype=np.int8)),
                     "entries": pa.array(n.astype(np.int32)),
                     "postings": pa.Array.from_buffers(pa.large_binary(), len(heads),
                                                       [None, offsets, pa.py_buffer(values.tobytes())])})


def _block_bits(lengths: np.ndarray) -> int:
    """Bits an entry key needs for the block of a position in texts of these lengths."""
    return int(lengths.max() - 1 >> 16).bit_length() if len(lengths) and lengths.max() > 0 else 0


def groups(lengths: Sequence[int]) -> list[int]:
    """Where to cut texts of these lengths into groups of at most MERGE_MAX documents whose entry keys fit
    16 bits: a group of n documents whose longest text has 2^bits blocks needs n << bits ≤ 2^16."""
    cuts, first, longest = [0], 0, 0
    for i, n in enumerate(lengths):
        longest = max(longest, n)
        if i - first == MERGE_MAX or (i - first + 1) << _block_bits(np.array([longest])) > 1 << 16:
            cuts.append(i)
            first, longest = i, n
    return cuts


class Postings:
    """The entries of some ``search_grams`` rows (ordered by bigram, then group) as flat numpy arrays, every
    entry with its global document, block, bigram and where its positions start in ``low`` (the rows' uint16
    numbers as DuckDB returned them: nothing is decoded or copied)."""

    def __init__(self, table: pa.Table):
        table = table.combine_chunks()
        if table.num_rows == 0:
            self.doc = self.block = self.gram = self.count = self.start = np.zeros(0, dtype=np.int64)
            self.low = np.zeros(0, dtype=np.uint16)
            return
        column = table["postings"].cast(pa.large_binary())  # one layout of offsets, whatever DuckDB chose
        offsets = _blob_offsets(column)
        self.low = np.frombuffer(column.chunk(0).buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].view(np.uint16)
        n = np.asarray(table["entries"].chunk(0), dtype=np.int64)
        row = np.repeat(np.arange(table.num_rows), n)
        firsts = np.cumsum(n) - n  # each row's first entry
        at = (offsets[:-1] - offsets[0])[row] // 2 + np.arange(len(row)) - firsts[row]
        key = self.low[at].astype(np.int64)
        bits = np.asarray(table["bits"].chunk(0), dtype=np.int64)[row]
        self.doc = np.asarray(table["grp"].chunk(0), dtype=np.int64)[row] + (key >> bits)
        self.block = key & ((1 << bits) - 1)
        self.gram = np.asarray(table["gram"].chunk(0), dtype=np.int64)[row]
        self.count = self.low[at + n[row]].astype(np.int64) + 1
        before = np.cumsum(self.count) - self.count
        self.start = at + n[row] + (n[row] - (np.arange(len(row)) - firsts[row])) + before - before[firsts][row]

    def first(self, entries: np.ndarray) -> np.ndarray:
        """The first position of each of ``entries`` (indices)."""
        return (self.block[entries] << 16) | self.low[self.start[entries]]

    def positions(self, entries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of every position of ``entries`` (indices, ascending), in order."""
        n = self.count[entries]
        at = np.repeat(self.start[entries], n) + _ranks(n)
        return np.repeat(self.doc[entries], n), (np.repeat(self.block[entries], n) << 16) | self.low[at]

    def holds(self, gram: int, doc: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """Does ``gram`` start at ``pos`` in ``doc`` (arrays)? The entry by a binary search over the bigram's
        entries, then the position by a binary search within the entry, for all at once: no position of the
        bigram is touched but the ~17 probed per question."""
        lo_e, hi_e = np.searchsorted(self.gram, [gram, gram + 1])
        keys = (self.doc[lo_e:hi_e] << 32) | self.block[lo_e:hi_e]
        want = (doc << 32) | (pos >> 16)
        at = np.searchsorted(keys, want)
        ok = at < len(keys)
        ok[ok] = keys[at[ok]] == want[ok]
        entry = at[ok] + lo_e
        target = pos[ok] & 0xFFFF
        lo, end = self.start[entry], self.start[entry] + self.count[entry]
        hi = end.copy()
        last = max(len(self.low) - 1, 0)
        while (active := lo < hi).any():
            mid = (lo + hi) >> 1
            right = active & (self.low[np.minimum(mid, last)] < target)
            lo = np.where(right, mid + 1, lo)
            hi = np.where(active & ~right, mid, hi)
        found = np.zeros(len(doc), dtype=bool)
        found[ok] = (lo < end) & (self.low[np.minimum(lo, last)] == target)
        return found


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, … sizes[0]−1, 0, 1, … sizes[1]−1, …"""
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def add(con: duckdb.DuckDBPyConnection, reports: Sequence[tuple[str, str]]) -> None:
    """Index ``(report_id, text)`` pairs as one group, or a few (``groups``), inside the caller's transaction
    (so the index always matches the reports: both are written or neither)."""
    if not reports:
        return
    row = con.execute("SELECT value FROM meta WHERE key = ?", [NEXT_DOC]).fetchall()
    first = int(row[0][0]) if row else 1
    docs = list(range(first, first + len(reports)))
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [NEXT_DOC, str(first + len(reports))])
    texts = [text or "" for _, text in reports]
    cuts = groups([len(t) for t in texts])
    grp = np.repeat(np.array(docs)[cuts], np.diff([*cuts, len(docs)]))
    con.from_arrow(pa.table({"doc": pa.array(docs, pa.int32()), "report_id": [rid for rid, _ in reports],
                             "grp": pa.array(grp, pa.int32()), "text": texts})).insert_into("search_docs")
    tables = [group_table(docs[a], docs[a:b], texts[a:b]) for a, b in zip(cuts, [*cuts[1:], len(docs)])]
    # the rows of one bigram side by side: a lookup then reads a few blocks of the file, not one per group
    con.from_arrow(pa.concat_tables(tables).sort_by([("gram", "ascending"), ("grp", "ascending")])
                   ).insert_into("search_grams")
    compact(con)


def compact(con: duckdb.DuckDBPyConnection) -> None:
    """Merge the newest groups once MERGE_FACTOR of them fit MERGE_MAX documents together: every ingest
    transaction writes a group, and a lookup reads one row per bigram per group, so 200 groups of 50 reports
    would make each search read 200 small rows per bigram. Groups stay small because DuckDB reads a blob
    larger than its 256 kB block again on every fetch (merging 10,000 reports into two groups made a lookup
    10 times slower). Runs in the transaction of the writer that adds the group."""
    sizes = con.execute("SELECT grp, count(*), max(doc) FROM search_docs GROUP BY grp ORDER BY grp").fetchall()
    run, total = 0, 0
    while run < len(sizes) and total + sizes[-run - 1][1] <= MERGE_MAX:
        total += sizes[-run - 1][1]
        run += 1
    if run < MERGE_FACTOR:
        return
    tail = [g for g, _, _ in sizes[-run:]]
    bits = con.execute("SELECT max(bits) FROM search_grams WHERE grp IN (SELECT unnest(?))", [tail]).fetchall()[0][0]
    if (sizes[-1][2] - tail[0] + 1) << (bits or 0) <= 1 << 16:  # the merged keys fit 16 bits
        merge(con, tail, bits or 0)


def merge(con: duckdb.DuckDBPyConnection, grps: list[int], bits: int) -> None:
    """Rewrite the rows of consecutive groups as one group (the first's number), dropping the postings of
    documents that are gone; a slice of bigrams at a time, so memory stays bounded."""
    live = np.sort(np.array([r[0] for r in con.execute(
        "SELECT doc FROM search_docs WHERE grp IN (SELECT unnest(?))", [grps]).fetchall()], dtype=np.int64))
    grams = [r[0] for r in con.execute("SELECT DISTINCT gram FROM search_grams WHERE grp IN (SELECT unnest(?))"
                                       " ORDER BY gram", [grps]).fetchall()]
    for k in range(0, len(grams), MERGE_SLICE):
        lo, hi = grams[k], grams[min(k + MERGE_SLICE, len(grams)) - 1]
        where = "grp IN (SELECT unnest($1)) AND gram BETWEEN $2 AND $3"
        p = Postings(con.sql(f"SELECT grp, gram, bits, entries, postings FROM search_grams WHERE {where} ORDER BY"
                             " gram, grp", params=[grps, lo, hi]).to_arrow_table())  # this transaction's rows
        con.execute(f"DELETE FROM search_grams WHERE {where}", [grps, lo, hi])
        keep = np.flatnonzero(np.isin(p.doc, live))
        if not len(keep):
            continue
        counts = p.count[keep]
        low = p.low[np.repeat(p.start[keep], counts) + _ranks(counts)]
        con.from_arrow(_rows(grps[0], bits, p.gram[keep], ((p.doc[keep] - grps[0]) << bits) | p.block[keep],
                             counts, low)).insert_into("search_grams")
    con.execute("UPDATE search_docs SET grp = ? WHERE grp IN (SELECT unnest(?))", [grps[0], grps])


def remove(con: duckdb.DuckDBPyConnection, report_ids: Sequence[str]) -> None:
    """Forget reports (being replaced or deleted) and drop the groups none of whose documents is left."""
    if not report_ids:
        return
    con.execute("DELETE FROM search_docs WHERE report_id IN (SELECT unnest(?))", [list(report_ids)])
    con.execute("DELETE FROM search_grams WHERE grp NOT IN (SELECT DISTINCT grp FROM search_docs)")


def enabled(con: duckdb.DuckDBPyConnection) -> bool:
    """Does this corpus keep the index? It is opt-in (``serve`` builds it, or ``ingest --search-index``): the
    postings and the text again take about 7 bytes per text character and ~9 ms of the writer per report, a
    cost a corpus used only for panels should not pay. An index built before the switch existed counts as kept."""
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
    """Are the index tables there, in this layout (not in a database from before the index, or from before
    this layout, opened read-only)?"""
    tables, current = con.execute(
        "SELECT count(DISTINCT table_name), count(*) FILTER (WHERE column_name = 'entries')"
        " FROM duckdb_columns() WHERE database_name = current_database()"
        " AND table_name IN ('search_docs', 'search_grams')").fetchall()[0]
    return tables == 2 and current == 1


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Create the index tables (on a writable open). An index in the varint layout of before (no ``entries``)
    is dropped, in one transaction; it is derived from the texts, so a corpus that kept it has it rebuilt
    (``complete``)."""
    con.execute("BEGIN TRANSACTION")
    layout = con.execute("SELECT count(*), count(*) FILTER (WHERE column_name = 'entries') FROM"
                         " information_schema.columns WHERE table_catalog = current_database()"
                         " AND table_name = 'search_grams'").fetchall()[0]
    if layout[0] and not layout[1]:
        if con.execute("SELECT count(*) FROM search_docs").fetchall()[0][0]:
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, 'on')", [ENABLED])
        con.execute("DROP TABLE search_grams; DROP TABLE search_docs; DROP TABLE IF EXISTS search_chunks")
    con.execute(SCHEMA)
    con.execute("COMMIT")


def missing(con: duckdb.DuckDBPyConnection) -> int:
    """Stored reports the index does not hold (all of them in a database from before the index)."""
    return con.execute("SELECT count(*) FROM reports r ANTI JOIN search_docs d USING (report_id)").fetchall()[0][0]


def complete(con: duckdb.DuckDBPyConnection, progress: Callable[[int], None] | None = None) -> int:
    """Index the stored reports the index lacks and forget documents whose report is gone, REBUILD_BATCH
    reports per transaction (an interrupted run keeps what it finished). Returns how many reports were
    indexed."""
    stale = [r[0] for r in con.execute(
        "SELECT DISTINCT report_id FROM search_docs ANTI JOIN reports USING (report_id)").fetchall()]
    if stale:
        con.execute("BEGIN TRANSACTION")
        remove(con, stale)
        con.execute("COMMIT")
    ids = [r[0] for r in con.execute(
        "SELECT report_id FROM reports ANTI JOIN search_docs USING (report_id) ORDER BY report_id").fetchall()]
    for k in range(0, len(ids), REBUILD_BATCH):
        chunk = ids[k:k + REBUILD_BATCH]
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
        p = Postings(_arrow(con, "SELECT grp, gram, bits, entries, postings FROM search_grams"
                                 " WHERE gram IN (SELECT unnest($1)) ORDER BY gram, grp", [sorted({g for _, g in pairs})]))
    else:  # one character: every bigram that starts with it
        lo = ord(query) << SHIFT
        p = Postings(_arrow(con, "SELECT grp, gram, bits, entries, postings FROM search_grams"
                                 " WHERE gram BETWEEN $1 AND $2 ORDER BY gram, grp", [lo, lo | ((1 << SHIFT) - 1)]))
    if not len(p.doc):
        return {}
    if len(pairs) <= 1:  # one or two characters: every position is a hit, so the entries alone answer
        first = np.full(int(p.doc.max()) + 1, np.iinfo(np.int64).max)
        np.minimum.at(first, p.doc, p.first(np.arange(len(p.doc))))
        counts = np.bincount(p.doc, weights=p.count).astype(np.int64)
        docs = np.flatnonzero(counts)
        first, counts = first[docs], counts[docs]
    else:
        docs, first, counts = _matches(p, pairs)
    if not len(docs):
        return {}
    # every document's report (a few ms: a list of thousands of numbers as a parameter costs more)
    rows = _arrow(con, "SELECT doc, report_id FROM search_docs", [])
    known = rows["doc"].to_numpy()
    order = np.argsort(known)
    at = np.minimum(np.searchsorted(known, docs, sorter=order), max(len(known) - 1, 0))
    live = np.flatnonzero(known[order[at]] == docs) if len(known) else at[:0]  # stale documents have no row
    ids = rows["report_id"].take(pa.array(order[at[live]])).to_pylist()
    return dict(zip(ids, zip(first[live].tolist(), counts[live].tolist())))


def _matches(p: Postings, pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(documents, first start, number of starts) of a query of three or more characters: the documents
    holding all its bigrams, then every position there of its rarest bigram, kept while each other bigram
    is at its offset from it (rarest first)."""
    bounds = {g: np.searchsorted(p.gram, [g, g + 1]) for _, g in pairs}
    candidates = None
    for lo, hi in bounds.values():
        held = p.doc[lo:hi][_heads(p.doc[lo:hi])]
        candidates = held if candidates is None else np.intersect1d(candidates, held, assume_unique=True)
    entries = {g: lo + np.flatnonzero(np.isin(p.doc[lo:hi], candidates)) for g, (lo, hi) in bounds.items()}
    size = {g: int(p.count[e].sum()) for g, e in entries.items()}
    pairs = sorted(pairs, key=lambda pair: size[pair[1]])
    (offset, gram), rest = pairs[0], pairs[1:]
    doc, start = p.positions(entries[gram])
    keep = start >= offset
    doc, start = doc[keep], start[keep] - offset
    for offset, gram in rest:
        found = p.holds(gram, doc, start + offset)
        doc, start = doc[found], start[found]
    heads = _heads(doc)  # in order: a document's first start is its first match
    return doc[heads], start[heads], np.diff(np.append(heads, len(doc)))


def _heads(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts."""
    return np.flatnonzero(np.append(True, values[1:] != values[:-1])) if len(values) else np.zeros(0, np.int64)


def contexts(con: duckdb.DuckDBPyConnection, starts: dict[str, int], length: int,
             width: int) -> dict[str, tuple[str, str]]:
    """(up to ``width`` characters before, up to ``width`` after) a hit of ``length`` characters at each report's
    offset in ``starts``, in one query: from the index's uncompressed copy of the texts (``reports.text`` is a
    large ZSTD-compressed value that DuckDB decompresses with its neighbours, ~5 ms per report), or for reports
    the index lacks from ``reports``."""
    ids = list(starts)
    spans = ("(SELECT unnest($1) AS report_id, unnest($2) AS s) q", [ids, [starts[i] for i in ids]])
    pick = ("SELECT report_id, substr(t.text, greatest(q.s - $3, 0) + 1, q.s - greatest(q.s - $3, 0)),"
            " substr(t.text, q.s + $4 + 1, $3) FROM {} t JOIN " + spans[0] + " USING (report_id)")
    params = [*spans[1], width, length]
    out = {rid: (before, after) for rid, before, after in con.execute(
        pick.format("search_docs"), params).fetchall()} if _has_index(con) else {}
    if len(out) < len(starts):
        rest = [i for i in ids if i not in out]
        out.update({rid: (before, after) for rid, before, after in con.execute(
            pick.format("reports"), [rest, [starts[i] for i in rest], width, length]).fetchall()})
    return out


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pa.Table:
    """A query's rows as Arrow, on a cursor of its own (the connection may hold a half-read result)."""
    with con.cursor() as cur:
        return cur.sql(sql, params=params).to_arrow_table()


def _blob_offsets(column: pa.ChunkedArray) -> np.ndarray:
    """Where each blob of a one-chunk large_binary column starts and ends in the chunk's data buffer."""
    chunk = column.chunk(0)
    return np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
