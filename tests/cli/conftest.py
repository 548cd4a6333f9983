"""The command layer's fixtures: stores set up through the commands (CliRunner, in-process).

The helpers to drive them (`cli`, `add`, `assert_refused`) and the stores every layer shares
(`empty_store`, `two`) are in tests/conftest.py; `built_once` there makes a store a fixture sets
up once per session and copies it to each test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture
def bundled_store(db: Path) -> Path:
    """The store file as `init` ships it: a copy of the bundled dataset, with its archive folder."""
    db.write_bytes((ROOT / "data" / "claims.json").read_bytes())
    shutil.copytree(ROOT / "data" / "claims.json.archive", db.with_name("claims.json.archive"))
    return db
