"""Multi-process training through `accelerate launch` on CPU (2 processes, gloo).

The same global batch gives the same loss curve in 1 and 2 processes (within a tolerance: the
per-process forward passes differ in padding and summation order), and the checkpoint of a
2-process run resumes in a 1-process run. About 60 s on 2 cores: three launches of a few
seconds of training each, most of it start-up (torch, transformers and trl imports per process).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import datasets
import pytest
from transformers import AutoModelForCausalLM

from s2s1.config import TrainConfig

pytest.importorskip("trl")

SCRIPT = Path(__file__).with_name("launch_train.py")
CFG = TrainConfig(
    backend="trl", student="layers", max_steps=4, batch_size=4, learning_rate=1e-2, checkpoint_every=2
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _train(processes: int, dataset: Path, model: Path, out: Path, *flags: str) -> dict:
    result = out.with_name(out.name + ".result.json")
    args = [str(dataset), str(model), str(out), CFG.model_dump_json(), str(result), *flags]
    if processes == 1:
        command = [sys.executable, str(SCRIPT), *args]
    else:
        command = [
            *(sys.executable, "-m", "accelerate.commands.launch"),
            *(
                "--multi_gpu",
                "--num_processes",
                str(processes),
                "--num_machines",
                "1",
            ),  # torchrun; gloo on CPU
            *("--mixed_precision", "no", "--dynamo_backend", "no", "--main_process_port", str(_free_port())),
            *(str(SCRIPT), *args),
        ]
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(result.read_text())


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [
        {
            "messages": [
                {"role": "system", "content": "Be exact."},
                {"role": "user", "content": f"What is {i} + {i}?"},
                {"role": "assistant", "content": f"{i} + {i} = {2 * i}, so \\boxed{{{2 * i}}}."},
            ]
        }
        for i in range(16)
    ]
    path = tmp_path_factory.mktemp("ds") / "dataset"
    datasets.Dataset.from_list(rows).save_to_disk(str(path))
    return path


def test_two_processes_train_like_one_and_their_checkpoint_resumes_in_one(dataset, tiny_model_dir, tmp_path):
    one = _train(1, dataset, tiny_model_dir, tmp_path / "one")["result"]
    assert one["processes"] == 1 and len(one["losses"]) == 4

    two = _train(2, dataset, tiny_model_dir, tmp_path / "two", "--die-before-save")
    assert two["steps_run"] == 4  # the main process ran every step, on half of each batch
    assert (two["processes"], two["backend"]) == (2, "gloo")
    checkpoints = tmp_path / "two.checkpoint"
    state = json.loads((checkpoints / "checkpoint-4" / "trainer_state.json").read_text())
    losses = [e["loss"] for e in state["log_history"] if "loss" in e]
    assert losses == pytest.approx(one["losses"], rel=0.05)
    assert losses[-1] < losses[0]

    shutil.rmtree(checkpoints / "checkpoint-4")  # as if killed during step 3
    resumed = _train(1, dataset, tiny_model_dir, tmp_path / "two")
    assert resumed["steps_run"] == 2  # steps 3 and 4, from the 2-process checkpoint-2
    assert resumed["result"]["losses"] == pytest.approx(one["losses"], rel=0.05)
    a = AutoModelForCausalLM.from_pretrained(tmp_path / "one").state_dict()
    b = AutoModelForCausalLM.from_pretrained(tmp_path / "two").state_dict()
    init = AutoModelForCausalLM.from_pretrained(tiny_model_dir).state_dict()
    moved = sum((a[k].float() - init[k].float()).abs().mean().item() for k in a)
    apart = sum((a[k].float() - b[k].float()).abs().mean().item() for k in a)
    # measured 0.18 against 0.61: steps 3-4 see other batches (1 process orders the shuffled rows
    # otherwise than 2), so the weights are near, not equal (steps_run == 2 shows it resumed)
    assert apart < moved / 2
    assert not checkpoints.exists()
