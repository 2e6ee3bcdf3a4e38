from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_9ce3360e39b81e48.txt"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("seed article not present (../shared/seed)")
    return SEED


@pytest.fixture(scope="session")
def seed_doc(seed_path: Path):  # type: ignore[no-untyped-def]
    from entente.pipeline import read_document

    return read_document(seed_path)


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES
