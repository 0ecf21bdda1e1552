"""A few training steps of a small random model on the GPU (run where a GPU machine is lent)."""

from __future__ import annotations

import datasets
import pytest
import torch

from s2s1.config import TrainConfig
from s2s1.distill.train import train_student


@pytest.mark.gpu
def test_training_steps_on_the_gpu(random_llama, tmp_path):
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    random_llama(
        tmp_path / "model",
        hidden_size=512,
        intermediate_size=1536,
        num_hidden_layers=8,
        num_attention_heads=8,
        num_key_value_heads=4,
    )
    rows = [
        {
            "messages": [
                {"role": "user", "content": f"What is {i} + {i}?"},
                {"role": "assistant", "content": f"{i} + {i} = {2 * i}, so \\boxed{{{2 * i}}}." * 4},
            ]
        }
        for i in range(64)
    ]
    datasets.Dataset.from_list(rows).save_to_disk(str(tmp_path / "dataset"))
    cfg = TrainConfig(student="layers", max_steps=8, batch_size=16, learning_rate=1e-3, checkpoint_every=0)
    result = train_student(tmp_path / "dataset", tmp_path / "model", tmp_path / "student", cfg)
    print(f"gpu training: {result.tokens_per_second:.0f} tokens/s on {torch.cuda.get_device_name()}")
    assert result.device == "cuda"
    assert result.losses[-1] < result.losses[0]
