"""The benchmark generator's files must import cleanly, or the benchmark measures errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from registration.adapters.import_file import parse_import_file

GENERATOR = Path(__file__).parents[3] / "bench" / "generate_umkm_file.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_umkm_file", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("suffix", "indonesian"), [(".csv", False), (".csv", True), (".xlsx", False)]
)
def test_every_generated_row_imports_without_errors(tmp_path: Path, suffix: str, indonesian: bool):
    generator = _generator()
    out = tmp_path / f"umkm{suffix}"
    generator.write_file(generator.generate_rows(300, seed=5), out, indonesian)
    rows = parse_import_file(out.read_bytes(), out.name)
    assert len(rows) == 300
    assert [row.errors for row in rows if row.errors] == []


def test_the_same_seed_writes_the_same_file(tmp_path: Path):
    generator = _generator()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    generator.write_file(generator.generate_rows(50, seed=9), first)
    generator.write_file(generator.generate_rows(50, seed=9), second)
    assert first.read_bytes() == second.read_bytes()


def test_spoiled_rows_are_reported_as_errors(tmp_path: Path):
    generator = _generator()
    out = tmp_path / "umkm.csv"
    generator.write_file(generator.generate_rows(200, seed=2, bad_ratio=0.2), out)
    failed = [row for row in parse_import_file(out.read_bytes(), out.name) if row.errors]
    assert 10 < len(failed) < 80
