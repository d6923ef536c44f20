"""The built wheel is complete: installed into a fresh venv, it scores a sample from /tmp."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("callqa-*.whl"))


def test_wheel_holds_scorecards_templates_and_static(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "callqa/scorecards/etiquette.yaml" in names
    assert any(n.startswith("callqa/web/templates/") for n in names)
    assert any(n.startswith("callqa/web/static/") for n in names)


def test_installed_wheel_scores_a_sample_from_another_directory(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # callqa's dependencies come from the test environment (no network needed); callqa
    # itself only from the wheel, unpacked into the fresh venv.
    Path(purelib, "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    zipfile.ZipFile(wheel).extractall(purelib)
    sample = ROOT / "samples" / "call01_good_stereo.wav"
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "CALLQA_MODEL_DIR": str(ROOT / "models" / "cache")}
    env.pop("PYTHONPATH", None)
    where = subprocess.run(
        [str(py), "-c", "import callqa; print(callqa.__file__)"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    assert where.startswith(purelib), where
    run = subprocess.run(
        [
            str(py),
            "-c",
            "from callqa.cli import main; main()",
            "score",
            str(sample),
            "--db",
            "x.db",
            "--json",
            "--no-progress",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    obj = json.loads(run.stdout.strip().splitlines()[-1])
    assert obj["verdict"] in ("pass", "fail", "review") and obj["rules"]
