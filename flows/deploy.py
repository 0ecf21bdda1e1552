"""`s2s1 deploy` and `s2s1 submit`: prefect.yaml's work pools and deployments, and a run of one.

`deploy_all` reads prefect.yaml, creates each work pool its chosen deployments name (the type
from `definitions.pool_types`, default `process`; a pool that exists is left as it is), then runs
`prefect --no-prompt deploy` for those deployments. By default it deploys those on process pools;
Docker and Kubernetes ones are deployed when named (their pools need prefect-docker or
prefect-kubernetes). `submit` validates a config file here and creates a flow run of a
deployment with it as parameters, without waiting for the run. Both talk to the server that
PREFECT_API_URL names and refuse to start without one (a temporary local server would forget
the pools and deployments at once). Errors are one UserError line; nothing is created before
every input has been checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from s2s1.errors import UserError

__all__ = ["deploy_all", "submit"]

_PREFECT = str(Path(sys.executable).with_name("prefect"))


def deploy_all(prefect_yaml: Path, names: list[str] | None = None) -> list[str]:
    """Create the pools and deploy `names` (default: every deployment on a process pool)."""
    api = _api_url()
    deployments, types = _read(prefect_yaml)
    known = {d["name"]: d for d in deployments}
    for name in names or []:
        if name not in known:
            raise UserError(f"{prefect_yaml}: no deployment {name!r}; there are {', '.join(known)}")
    chosen = names or [n for n, d in known.items() if types.get(_pool(d), "process") == "process"]
    pools = {_pool(known[n]): types.get(_pool(known[n]), "process") for n in chosen}
    created = []
    for pool, kind in pools.items():
        if _prefect(["work-pool", "inspect", pool], check=False).returncode != 0:
            _prefect(["work-pool", "create", pool, "--type", kind], what=f"creating work pool {pool} ({api})")
            created.append(pool)
    args = ["--no-prompt", "deploy", "--prefect-file", str(prefect_yaml.resolve())]
    args += [x for n in chosen for x in ("-n", n)]
    _prefect(args, cwd=prefect_yaml.resolve().parent, what="deploy")
    return created + chosen


def submit(config: Path, deployment: str, run_dir: Path | None, stages: list[str] | None) -> str:
    """Validate `config`, then start a flow run of `deployment` with it; returns the run's id."""
    from s2s1.config import load_config
    from s2s1.flows.pipeline import check_inputs

    cfg = load_config(config)
    check_inputs(cfg, stages)
    _api_url()
    if deployment.count("/") != 1:
        raise UserError(f"--deployment {deployment!r}: expected FLOW/DEPLOYMENT, e.g. s2s1-pipeline/pipeline")
    from prefect.deployments import run_deployment

    out = str(run_dir or f"runs/{cfg.name}")
    params: dict[str, Any] = {"cfg": cfg.model_dump(mode="json"), "run_dir": out}
    if stages:
        params["stages"] = stages
    try:
        flow_run = run_deployment(deployment, parameters=params, timeout=0)
    except Exception as e:  # not found, or the server refused the parameters
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        raise UserError(f"{deployment}: cannot start a run ({first}); `s2s1 deploy` creates it") from None
    return str(flow_run.id)


def _api_url() -> str:
    from prefect.settings import PREFECT_API_URL

    url = os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    if not url:
        raise UserError("PREFECT_API_URL is not set: start `prefect server start` and point it there")
    import httpx

    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=10).raise_for_status()
    except httpx.HTTPError as e:
        raise UserError(f"no Prefect server answers at {url} ({type(e).__name__}); is it running?") from None
    return url


def _read(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    try:
        data = yaml.safe_load(Path(path).read_text())
    except OSError as e:
        raise UserError(f"{path}: cannot read it ({e.strerror}); pass --file PATH/prefect.yaml") from None
    except yaml.YAMLError as e:
        raise UserError(f"{path}: not valid YAML ({getattr(e, 'problem', e)})") from None
    deployments = data.get("deployments") if isinstance(data, dict) else None
    if not isinstance(deployments, list) or not deployments:
        raise UserError(f"{path}: no `deployments` list; is this a prefect.yaml?")
    types = (data.get("definitions") or {}).get("pool_types") or {}
    for d in deployments:
        if not isinstance(d, dict) or not d.get("name") or not _pool(d):
            raise UserError(f"{path}: every deployment needs a name and a work_pool.name")
    return deployments, types


def _pool(deployment: dict[str, Any]) -> str:
    return str((deployment.get("work_pool") or {}).get("name") or "")


def _prefect(
    args: list[str], *, check: bool = True, cwd: Path | None = None, what: str = ""
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([_PREFECT, *args], capture_output=True, text=True, cwd=cwd, timeout=600)
    if check and done.returncode != 0:
        lines = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        raise UserError(f"prefect {what or args[0]} failed: {(lines or ['no output'])[-1][:300]}")
    return done
