"""Every example in examples/ runs top to bottom (headless) and draws a figure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("plot_*.py"))


def test_examples_exist():
    assert EXAMPLES, "examples/plot_*.py missing"


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", SKSPIKE_EXAMPLE_OUTPUT=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = list(tmp_path.glob("*.png"))
    assert figures, f"{script.name} saved no figure in SKSPIKE_EXAMPLE_OUTPUT"
    assert all(f.stat().st_size > 1000 for f in figures)
