"""The package's public face: lazy exports resolve, import stays light."""

import subprocess
import sys

import pytest

import skspike


@pytest.mark.parametrize("name", sorted(skspike.__all__))
def test_every_public_name_resolves(name):
    assert getattr(skspike, name) is not None


@pytest.mark.parametrize("sub", ["encoding", "datasets", "classifiers", "neurons", "complexity",
                                 "energy", "feature_extraction", "plotting"])
def test_subpackage_exports_resolve(sub):
    module = getattr(skspike, sub)
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{sub}.{name}"


def test_import_is_lazy():
    # `import skspike` must not pull in numba (kernels compile on first use only)
    code = "import sys, skspike; print('numba' in sys.modules, 'sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        skspike.nope
