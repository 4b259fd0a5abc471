"""The documentation builds with warnings as errors (docs/conf.py).

A broken numpydoc section, an unresolved cross-reference or a public name without
a page fails this test. The gallery's examples are not executed here
(tests/test_examples.py runs them).
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("numpydoc")
pytest.importorskip("sphinx_gallery")
pytest.importorskip("pydata_sphinx_theme")

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-5000:]
    html = tmp_path / "html"
    assert (html / "index.html").exists()
    # every public name of every subpackage has an API page
    import importlib

    for module in ("encoding", "neurons", "feature_extraction", "classifiers", "complexity", "energy", "datasets"):
        mod = importlib.import_module(f"skspike.{module}")
        for name in mod.__all__:
            page = html / "api" / "generated" / f"skspike.{module}.{name}.html"
            assert page.exists(), f"no API page for skspike.{module}.{name}"
    assert (html / "auto_examples" / "index.html").exists()
