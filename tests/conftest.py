"""Shared fixtures: the real corpus and gold records in ../shared (tests may read it; the package never does)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
EXTRA = SHARED / "corpus" / "extra"
GOLD = SHARED / "gold"


def load_gold() -> list[dict]:
    rows = []
    for name in ("seeds.jsonl", "extra.jsonl"):
        with open(GOLD / name, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def corpus_path(doc: str) -> Path:
    for folder in (SEEDS, EXTRA):
        if (folder / doc).exists():
            return folder / doc
    raise FileNotFoundError(doc)


@pytest.fixture(scope="session")
def gold() -> list[dict]:
    return load_gold()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def extra_dir() -> Path:
    return EXTRA
