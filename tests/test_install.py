"""The released product works outside the checkout: build the sdist and wheel, install the wheel into a
fresh virtual environment in a temporary folder, and analyse a .txt and a .docx there. The installed
copy must find every asset as package data and give the same JSON as the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders import make_docx

from analyzer import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "real" / "000_1c9e8bbbf8b24faa.txt"


def _run(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, environment, work folder) of the wheel installed into a new venv outside the checkout."""
    tmp = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GOVREPORT_DATA", "VIRTUAL_ENV")}
    env["GOVREPORT_CACHE_DIR"] = str(tmp / "cache")
    # Build from a clean copy of what the build reads: an egg-info left in the checkout by an earlier
    # build would list files the package-data globs no longer ship, and hide the loss.
    source = tmp / "source"
    shutil.copytree(ROOT / "analyzer", source / "analyzer", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = tmp / "dist"
    # sdist first, then the wheel built from the unpacked sdist: proves the sdist holds everything too
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)], cwd=tmp, env=env)
    wheels = list(dist.glob(f"govreport-{__version__}-*.whl"))
    assert len(wheels) == 1 and list(dist.glob(f"govreport-{__version__}.tar.gz")), sorted(dist.iterdir())
    venv = tmp / "venv"
    # the venv sees the installed dependencies (no download); --no-deps: only our wheel goes in
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], cwd=tmp, env=env)
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-deps",
          "--no-build-isolation", "--no-index", str(wheels[0])], cwd=tmp, env=env)
    work = tmp / "work"
    work.mkdir()
    (work / "report.docx").write_bytes(make_docx([line for line in SAMPLE.read_text(encoding="utf-8").splitlines()
                                                  if line.strip()]))
    return venv / "bin", env, work


def test_the_venv_imports_its_own_copy_and_reports_the_package_version(installed):
    bin_dir, env, work = installed
    probe = ("import analyzer, importlib.metadata as m; from analyzer import assets; "
             "print(analyzer.__file__); print(assets.require(assets.LEXICON)); print(m.version('govreport'))")
    module, lexicon, metadata = _run([str(bin_dir / "python"), "-c", probe], cwd=work, env=env).stdout.split("\n")[:3]
    venv = bin_dir.parent
    assert Path(module).is_relative_to(venv) and Path(lexicon).is_relative_to(venv), (module, lexicon)
    version = _run([str(bin_dir / "govreport"), "--version"], cwd=work, env=env).stdout.strip()
    assert version == f"govreport {metadata}" == f"govreport {__version__}"


@pytest.mark.parametrize("name", ["report.txt", "report.docx"])
def test_the_installed_wheel_analyses_like_the_checkout(installed, name):
    bin_dir, env, work = installed
    source = SAMPLE if name.endswith(".txt") else work / name
    if name.endswith(".txt"):
        (work / name).write_bytes(SAMPLE.read_bytes())
    wheel_json = json.loads(_run([str(bin_dir / "govreport"), "analyze", name, "--format", "json"],
                                 cwd=work, env=env).stdout)
    checkout_json = json.loads(_run([sys.executable, "-m", "analyzer.cli", "analyze", str(source), "--format", "json"],
                                    cwd=ROOT, env=env).stdout)
    kinds = [finding["kind"] for finding in wheel_json["findings"]]
    assert "boilerplate" in kinds, kinds
    assert any((finding.get("suggestion") or {}).get("exemplars") for finding in wheel_json["findings"])
    assert wheel_json["version"] == __version__
    # the source name differs (a copy under another name for the .txt): nothing else may
    wheel_json["source"].pop("name"), checkout_json["source"].pop("name")
    assert wheel_json == checkout_json
