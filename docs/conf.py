"""Sphinx configuration of the skspike documentation.

Build (warnings are errors, the gallery's examples are not re-run; the tests run them)::

    pip install -e ".[docs]" && sphinx-build -W --keep-going -b html docs docs/_build/html
"""

import importlib
import re
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import skspike  # noqa: E402

project = "skspike"
author = "the skspike developers"
copyright = "2026, the skspike developers"
release = skspike.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip"]
html_theme = "pydata_sphinx_theme"
html_title = f"skspike {release}"
html_static_path = []
html_theme_options = {"navigation_with_keys": False}

# -- API reference -------------------------------------------------------------
# Every name in a public subpackage's ``__all__`` gets a page: api.rst is written
# here from the package itself, so a new public name cannot be left undocumented.
autosummary_generate = True
autodoc_default_options = {"members": True}
# `name_` in a shape is a fitted attribute, not a link target (as in scikit-learn's docs)
default_role = "literal"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Broken references are errors; names of other projects (no network at build time,
# so no intersphinx inventories) are rendered as code without a link.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(sklearn|numpy|np|scipy|numba|joblib|tonic|nir|torch|snntorch|matplotlib|dask|pandas|concurrent|dataclasses|collections|threadpoolctl)(\..*)?"),
    (r"py:.*", r"(ndarray|array-like|array_like|callable|estimator|optional|default|object|str|int|float|bool|dict|list|tuple|None|sequence|iterable|generator|Path|path-like|RandomState|Generator|BaseEstimator|Pipeline)"),
]

API_SECTIONS = [
    ("encoding", "Spike encoders"),
    ("neurons", "Neuron models and simulation"),
    ("feature_extraction", "Unsupervised STDP features"),
    ("classifiers", "Spiking classifiers"),
    ("complexity", "Lempel-Ziv complexity"),
    ("energy", "Operation counts and energy"),
    ("nir", "NIR export and import"),
    ("plasticity", "Plasticity rules"),
    ("synapses", "Synapse models"),
    ("datasets", "Data sets"),
    ("plotting", "Plotting"),
    ("utils", "Utilities"),
]


def _write_api_pages():
    out = HERE / "api"
    out.mkdir(exist_ok=True)
    entries = []
    for name, title in API_SECTIONS:
        try:
            module = importlib.import_module(f"skspike.{name}")
        except ImportError:
            continue
        public = list(getattr(module, "__all__", []))
        if not public:
            continue
        underline = "=" * len(f"skspike.{name}: {title}")
        lines = [
            f"skspike.{name}: {title}",
            underline,
            "",
            f".. automodule:: skspike.{name}",
            "   :no-members:",
            "",
            f".. currentmodule:: skspike.{name}",
            "",
            ".. autosummary::",
            "   :toctree: generated",
            "   :nosignatures:",
            "",
        ]
        lines += [f"   {obj}" for obj in public]
        (out / f"{name}.rst").write_text("\n".join(lines) + "\n")
        entries.append(name)
    index = ["API reference", "=============", "", "Every public name of every subpackage.", "",
             ".. toctree::", "   :maxdepth: 1", ""]
    index += [f"   {e}" for e in entries]
    (out / "index.rst").write_text("\n".join(index) + "\n")


_write_api_pages()


def _skip_member(app, what, name, obj, skip, options):
    # scikit-learn's own methods (metadata routing, set_output, get_params...) document
    # scikit-learn, and refer to its docs' labels: they are documented there
    if re.fullmatch(r"set_\w+_request", name):
        return True
    module = getattr(obj, "__module__", None) or getattr(getattr(obj, "fget", None), "__module__", "")
    if module and module.split(".")[0] == "sklearn":
        return True
    return skip


def _top_level_alias(app, env, node, contnode):
    """Resolve ``skspike.Name`` (a lazy top-level export) to its subpackage's page."""
    target = node.get("reftarget", "")
    parts = target.split(".")
    if node.get("refdomain") != "py" or len(parts) != 2 or parts[0] != "skspike":
        return None
    sub = skspike._EXPORTS.get(parts[1])
    if sub is None or sub.startswith("_"):
        return None
    node["reftarget"] = f"skspike.{sub}.{parts[1]}"
    domain = env.get_domain("py")
    return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], node["reftarget"], node, contnode)


def setup(app):
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("missing-reference", _top_level_alias)

# -- example gallery -----------------------------------------------------------
# The examples are run by tests/test_examples.py; the docs build shows their code
# and text without executing them (set SKSPIKE_DOCS_RUN_GALLERY=1 to run them).
sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"plot_",
    "plot_gallery": os.environ.get("SKSPIKE_DOCS_RUN_GALLERY", "0") == "1",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib",),
}
