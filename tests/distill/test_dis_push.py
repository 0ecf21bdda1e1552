"""`s2s1 push`: one-line errors (exit 2) before anything is read or sent — offline, no token, a bad
repo id, no export, no network, a token the Hub refuses (a local endpoint that answers 401). No test
fakes a successful push: that needs the real Hub."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest
from huggingface_hub import constants
from typer.testing import CliRunner

from s2s1.config import ExportConfig
from s2s1.distill.export import export_dataset
from s2s1.distill.push import push_dataset
from s2s1.errors import UserError
from s2s1.flows.cli import app
from s2s1.records import Problem, Record, Trace


@pytest.fixture
def run_dir(tmp_path):
    record = Record(
        problem=Problem(id="a", source="arithmetic", question="What is 1+1?", answer="2"),
        trace=Trace(problem_id="a", index=0, teacher="t", prompt=[], response="\\boxed{2}"),
    )
    export_dataset([record], tmp_path / "run" / "dataset", ExportConfig(), {"run": "t"})
    return tmp_path / "run"


@pytest.fixture
def online(monkeypatch, tmp_path):
    """Offline mode off for this test, and no token file: the token is what the test sets."""
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _files(folder):
    return sorted((p.relative_to(folder), p.stat().st_mtime_ns) for p in folder.rglob("*"))


def test_offline_is_one_line_exit_2_and_writes_nothing(run_dir):
    before = _files(run_dir.parent)
    result = CliRunner().invoke(app, ["push", str(run_dir), "--repo-id", "me/data"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: push: HF_HUB_OFFLINE is set, so the Hub is not reached; unset it (on a machine with network)"
    ]
    assert _files(run_dir.parent) == before


def test_no_token_names_login_and_hf_token(run_dir, online):
    with pytest.raises(UserError, match=r"no Hugging Face token; run `huggingface-cli login`.* set HF_TOKEN"):
        push_dataset(run_dir, "me/data")


def test_a_bad_repo_id_and_a_missing_export_are_named(run_dir, tmp_path):
    with pytest.raises(UserError, match=r"--repo-id 'not a repo!': not a Hub repo id"):
        push_dataset(run_dir, "not a repo!")
    with pytest.raises(UserError, match=r"nowhere/dataset: no exported dataset.*--stages export"):
        push_dataset(tmp_path / "nowhere", "me/data")


def test_an_unreachable_endpoint_is_network_unreachable(run_dir, online):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    online.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{port}")
    online.setenv("HF_TOKEN", "hf_test")
    with pytest.raises(
        UserError, match=rf"network unreachable \(http://127.0.0.1:{port}: .*check the connection"
    ):
        push_dataset(run_dir, "me/data")


class _RefusingHubForTests(http.server.BaseHTTPRequestHandler):
    paths: list[str] = []

    def _refuse(self) -> None:
        self.paths.append(f"{self.command} {self.path}")
        body = b'{"error": "Invalid credentials in Authorization header"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _refuse

    def log_message(self, *args: object) -> None:
        pass


def test_a_refused_token_is_one_line_and_nothing_is_uploaded(run_dir, online):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RefusingHubForTests)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        online.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
        online.setenv("HF_TOKEN", "hf_test")
        with pytest.raises(
            UserError, match=r"the Hub refused the token \(401\); run `huggingface-cli login`"
        ):
            push_dataset(run_dir, "me/data")
    finally:
        server.shutdown()
        server.server_close()
    assert [p.split("?")[0] for p in _RefusingHubForTests.paths] == ["GET /api/whoami-v2"]
