"""What an indicator chart can show is known before its values are computed: ``Corpus.target_years`` gives
exactly the region-years, measures and standard units that ``Corpus.track`` would give rows for, on real
provincial and national reports."""

from __future__ import annotations

import pytest

from govreport.corpus.store import ingest
from govreport.corpus.tables import Corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from conftest import SHARED  # the shared corpus beside the repository

    db = tmp_path_factory.mktemp("choices") / "c.duckdb"
    ingest([SHARED / "corpus" / "dev" / "province", SHARED / "corpus" / "dev" / "national"], db, jobs=2)
    with Corpus(db) as c:
        yield c


@pytest.mark.parametrize("indicator", ["gdp", "cpi", "retail_sales", "fixed_asset_investment", "unemployment_rate"])
def test_target_years_are_the_rows_track_gives(corpus, indicator):
    track = corpus.track(indicator)
    years = corpus.target_years(indicator)
    assert len(track) > 0
    tracked = sorted(zip(track["region_code"], track["year"], track["measure"], track["unit"].fillna("")))
    chosen = sorted(zip(years["region_code"], years["year"].astype(int), years["measure"], years["unit"].fillna("")))
    assert chosen == tracked
    assert set(years["region"]) == set(track["region"])
