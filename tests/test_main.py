"""The main job: ``python -m skspike``."""

import re
import subprocess
import sys

import pytest

from skspike.__main__ import build_pipeline, main


def test_main_quick_iris_prints_results_and_plots(tmp_path, capsys):
    png = tmp_path / "summary.png"
    assert main(["--dataset", "iris", "--quick", "--no-progress", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    accuracy = float(re.search(r"test accuracy\s+([\d.]+) %", out).group(1))
    assert accuracy >= 80.0, out
    assert re.search(r"hidden neurons\s+\d+ grown by NG-SNN", out)
    energies = re.findall(r"energy \((\w+)\s*\) ([\d.e+-]+) J per sample", out)
    assert [name for name, _ in energies] == ["loihi", "cmos45_fp32"]
    assert all(float(value) > 0 for _, value in energies)
    assert png.stat().st_size > 10_000
    assert re.search(r"STDP \+ NGSNN beats NGSNN alone here: (yes|no|a tie) \(", out), out


def test_main_snnlzc_path_names_its_classifier(capsys):
    assert main(["--dataset", "iris", "--classifier", "snnlzc", "--quick", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "SNNLZCClassifier" in out and "hidden neurons" not in out
    assert float(re.search(r"test accuracy\s+([\d.]+) %", out).group(1)) > 100 / 3, out  # above chance
    assert re.search(r"STDP \+ SNN-LZC beats NGSNN alone here: (yes|no|a tie) \(", out), out


def test_build_pipeline_chains_encoder_stdp_classifier():
    pipe = build_pipeline("digits", "snnlzc", 64, quick=True, verbose=0)
    stdp, clf = pipe.named_steps["stdp"], pipe.named_steps["classifier"]
    assert type(pipe.named_steps["encoder"]).__name__ == "PoissonEncoder"
    assert stdp.output == "spikes" and type(clf).__name__ == "SNNLZCClassifier"
    # the package defaults, nothing tuned per data set
    assert {k: v for k, v in stdp.get_params().items() if k not in ("output", "verbose")} == {
        k: v for k, v in type(stdp)(random_state=0).get_params().items() if k not in ("output", "verbose")}


def test_module_entry_point_help():
    proc = subprocess.run([sys.executable, "-m", "skspike", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "--classifier" in proc.stdout and "--dataset" in proc.stdout


def test_unknown_dataset_is_rejected():
    with pytest.raises(SystemExit):
        main(["--dataset", "mnist"])
