"""prefect.yaml and the Dockerfiles, checked without a server or a Docker engine.

Every deployment's entrypoint must import, be a flow whose `cfg` parameter is typed by our
Config model (so the UI and `prefect deployment run` validate it), and every stage must have a
deployment. The Dockerfiles must pass hadolint and install through the Makefile's steps.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from s2s1.flows.pipeline import STAGES

REPO = Path(__file__).resolve().parents[2]


def _deployments() -> list[dict]:
    return yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"]


@pytest.mark.parametrize("deployment", _deployments(), ids=lambda d: d["name"])
def test_each_deployment_loads_a_flow_typed_by_the_config_model(deployment):
    from prefect.flows import load_flow_from_entrypoint
    from prefect.utilities.callables import parameter_schema

    flow = load_flow_from_entrypoint(deployment["entrypoint"])
    schema = parameter_schema(flow).model_dump_for_openapi()
    assert schema["properties"]["cfg"]["$ref"].endswith("/Config")
    assert {"problems", "generate", "verify", "filter"} <= set(schema["definitions"]["Config"]["properties"])
    assert set(deployment.get("parameters", {})) <= set(schema["properties"]), "unknown parameter"
    assert deployment["work_pool"]["name"].startswith("s2s1-")


def test_every_stage_has_its_own_deployment():
    by_stages = {tuple(d.get("parameters", {}).get("stages") or ()) for d in _deployments()}
    assert all((stage,) in by_stages for stage in STAGES)
    assert () in by_stages  # and the whole pipeline


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "Dockerfile.cpu"])
def test_dockerfiles_pass_hadolint_and_share_the_makefile_install(dockerfile):
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint is in the dev extra: pip install -e '.[dev]'"
    done = subprocess.run([hadolint, str(REPO / dockerfile)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (REPO / dockerfile).read_text()
    assert "RUN make install " in text and "COPY Makefile " in text
