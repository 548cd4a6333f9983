"""The unit layer: pure modules (engines, model, formats, the merge) over records built by
`tests.factories`, never a store file; a test here that writes one belongs in core/ or cli/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def no_store_file(db: Path) -> Iterator[None]:
    yield
    assert not db.exists(), "a unit test wrote a store file: it belongs in tests/core or tests/cli"
