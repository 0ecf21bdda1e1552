"""Students: the assistant-only mask on the real chat template, layer thinning, and training.

Training runs on the 4-layer random model of `tiny_model_dir` with the teacher's real tokenizer.
"""

from __future__ import annotations

import json

import datasets
import pytest
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

from s2s1.config import TrainConfig
from s2s1.distill.student import kept_layers, make_student
from s2s1.distill.train import encode_example, train_student
from s2s1.errors import UserError

CHAT = [
    {"role": "system", "content": "Be exact."},
    {"role": "user", "content": "What is 2+3?"},
    {"role": "assistant", "content": "<think>\n2 plus 3\n</think>\nSo \\boxed{5}."},
]


def test_only_the_answer_and_its_end_token_are_trained_on(tokenizer_dir):
    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    enc = encode_example(tok, CHAT, max_length=512)
    trained = [t for t, label in zip(enc["input_ids"], enc["labels"], strict=True) if label != -100]
    assert tok.decode(trained) == CHAT[-1]["content"] + tok.eos_token
    full = tok.apply_chat_template(CHAT, tokenize=False)
    assert tok.decode(enc["input_ids"]) == full


def test_too_long_examples_are_dropped_not_cut(tokenizer_dir):
    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    assert encode_example(tok, CHAT, max_length=10) is None


def test_the_last_turn_must_be_the_assistants(tokenizer_dir):
    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    with pytest.raises(ValueError, match="assistant"):
        encode_example(tok, CHAT[:2], max_length=512)


@pytest.mark.parametrize(("n", "k", "kept"), [(6, 2, [0, 2, 4, 5]), (4, 1, [0, 1, 2, 3]), (5, 10, [0, 4])])
def test_kept_layers(n, k, kept):
    assert kept_layers(n, k) == kept


def test_make_student_keeps_every_kth_layer(tiny_model_dir, tmp_path):
    out = make_student(tiny_model_dir, tmp_path / "student_init", keep_every=2)
    assert AutoConfig.from_pretrained(out).num_hidden_layers == 3  # layers 0, 2 and the last (3)
    teacher = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    student = AutoModelForCausalLM.from_pretrained(out)
    t, s = teacher.model.layers[2].mlp.up_proj.weight, student.model.layers[1].mlp.up_proj.weight
    assert (t.bfloat16() == s).all()  # saved in bf16
    assert "kept layers: [0, 2, 3]" in (out / "student.txt").read_text()


def test_make_student_needs_a_local_folder(tmp_path):
    with pytest.raises(UserError, match="local teacher folder"):
        make_student(tmp_path / "nowhere", tmp_path / "out", keep_every=2)


@pytest.fixture(scope="module")
def tiny_dataset(tmp_path_factory):
    rows = [
        {
            "messages": [
                {"role": "system", "content": "Be exact."},
                {"role": "user", "content": f"What is {i}+1?"},
                {"role": "assistant", "content": f"So \\boxed{{{i + 1}}}."},
            ]
        }
        for i in range(6)
    ]
    path = tmp_path_factory.mktemp("ds") / "dataset"
    datasets.Dataset.from_list(rows).save_to_disk(str(path))
    return path


@pytest.mark.parametrize("student", ["lora", "layers"])
def test_training_lowers_the_loss_and_saves_a_plain_model(student, tiny_dataset, tiny_model_dir, tmp_path):
    cfg = TrainConfig(student=student, max_steps=12, batch_size=3, learning_rate=1e-2, lora_rank=4)
    result = train_student(tiny_dataset, tiny_model_dir, tmp_path / "student", cfg)
    assert result.steps == 12 and result.examples == 6 and result.dropped_too_long == 0
    assert sum(result.losses[-3:]) < sum(result.losses[:3])
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "student")  # merged: no adapter files needed
    assert not any("lora" in name for name, _ in model.named_parameters())
    log = [json.loads(line) for line in (tmp_path / "student" / "train_log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log] == list(range(1, 13))


def test_lora_changes_the_weights_only_through_the_adapters(tiny_dataset, tiny_model_dir, tmp_path):
    cfg = TrainConfig(student="lora", max_steps=3, batch_size=3, learning_rate=1e-2, lora_rank=4)
    train_student(tiny_dataset, tiny_model_dir, tmp_path / "student", cfg)
    before = AutoModelForCausalLM.from_pretrained(tiny_model_dir).state_dict()
    after = AutoModelForCausalLM.from_pretrained(tmp_path / "student").state_dict()
    assert not (
        before["model.layers.0.self_attn.q_proj.weight"].bfloat16()
        == after["model.layers.0.self_attn.q_proj.weight"]
    ).all()
    assert (before["model.norm.weight"].bfloat16() == after["model.norm.weight"]).all()  # no adapter there


def test_no_usable_example_is_a_user_error(tiny_dataset, tiny_model_dir, tmp_path):
    cfg = TrainConfig(max_steps=1, max_length=16)
    with pytest.raises(UserError, match="train.max_length"):
        train_student(tiny_dataset, tiny_model_dir, tmp_path / "student", cfg)
    assert not (tmp_path / "student").exists()


def _weights(folder):
    return AutoModelForCausalLM.from_pretrained(folder).state_dict()


@pytest.mark.parametrize("student", ["lora", "layers"])
def test_a_killed_run_resumes_to_the_same_weights(
    student, tiny_dataset, tiny_model_dir, tmp_path, monkeypatch
):
    import s2s1.distill.train_own

    cfg = TrainConfig(
        student=student, max_steps=6, batch_size=2, learning_rate=1e-2, lora_rank=4, checkpoint_every=2
    )
    whole = train_student(tiny_dataset, tiny_model_dir, tmp_path / "whole", cfg)

    real_collate, calls = s2s1.distill.train_own._collate, []

    def dies_at_step_5(batch, pad):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt("killed")
        return real_collate(batch, pad)

    monkeypatch.setattr(s2s1.distill.train_own, "_collate", dies_at_step_5)
    with pytest.raises(KeyboardInterrupt):
        train_student(tiny_dataset, tiny_model_dir, tmp_path / "student", cfg)
    assert (tmp_path / "student.checkpoint" / "state.pt").exists() and not (tmp_path / "student").exists()
    resumed_calls = []

    def counts(batch, pad):
        resumed_calls.append(1)
        return real_collate(batch, pad)

    monkeypatch.setattr(s2s1.distill.train_own, "_collate", counts)
    resumed = train_student(tiny_dataset, tiny_model_dir, tmp_path / "student", cfg)
    assert len(resumed_calls) == 2  # steps 5 and 6: the checkpoint of step 4 was resumed

    assert resumed.losses == whole.losses
    a, b = _weights(tmp_path / "whole"), _weights(tmp_path / "student")
    assert all((a[k] == b[k]).all() for k in a)
    assert not (tmp_path / "student.checkpoint").exists()


def test_a_checkpoint_from_other_settings_is_refused(tiny_dataset, tiny_model_dir, tmp_path, monkeypatch):
    import s2s1.distill.train_own

    cfg = TrainConfig(max_steps=4, batch_size=2, lora_rank=4, checkpoint_every=1)
    dies = lambda *a: (_ for _ in ()).throw(KeyboardInterrupt())  # noqa: E731
    monkeypatch.setattr(s2s1.distill.train_own, "save_student", dies)
    with pytest.raises(KeyboardInterrupt):
        train_student(tiny_dataset, tiny_model_dir, tmp_path / "student", cfg)
    monkeypatch.undo()
    with pytest.raises(UserError, match="student.checkpoint was saved with other train settings"):
        train_student(tiny_dataset, tiny_model_dir, tmp_path / "student", cfg.model_copy(update={"seed": 1}))


def test_gradient_checkpointing_trains_the_same_way(tiny_dataset, tiny_model_dir, tmp_path):
    cfg = TrainConfig(max_steps=3, batch_size=3, learning_rate=1e-2, lora_rank=4)
    plain = train_student(tiny_dataset, tiny_model_dir, tmp_path / "a", cfg)
    saving = train_student(
        tiny_dataset, tiny_model_dir, tmp_path / "b", cfg.model_copy(update={"gradient_checkpointing": True})
    )
    assert saving.losses == pytest.approx(plain.losses, rel=1e-4)


def test_gradient_accumulation_trains_the_same_way(tiny_dataset, tiny_model_dir, tmp_path):
    # micro-batches of 1-2 examples of different lengths: each weighted by its share of the tokens
    cfg = TrainConfig(max_steps=3, batch_size=3, learning_rate=1e-2, lora_rank=4, backend="own")
    whole = train_student(tiny_dataset, tiny_model_dir, tmp_path / "a", cfg)
    accumulated = cfg.model_copy(update={"gradient_accumulation_steps": 2})
    parts = train_student(tiny_dataset, tiny_model_dir, tmp_path / "b", accumulated)
    assert parts.losses == pytest.approx(whole.losses, rel=1e-4)
    assert whole.losses[-1] != whole.losses[0]  # the steps changed the weights


def test_bf16_autocast_trains_close_to_fp32_but_not_identically(tiny_dataset, tiny_model_dir, tmp_path):
    cfg = TrainConfig(max_steps=3, batch_size=3, learning_rate=1e-2, lora_rank=4, bf16=False)
    fp32 = train_student(tiny_dataset, tiny_model_dir, tmp_path / "a", cfg)
    bf16 = train_student(tiny_dataset, tiny_model_dir, tmp_path / "b", cfg.model_copy(update={"bf16": True}))
    assert bf16.losses != fp32.losses  # the forward pass really ran in bf16
    assert bf16.losses == pytest.approx(fp32.losses, rel=0.05)


@pytest.mark.parametrize("cuda_bf16", [True, False])
def test_bf16_null_means_cuda_with_bf16_and_a_set_value_wins(cuda_bf16, monkeypatch):
    import torch

    from s2s1.distill.train_common import use_bf16

    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda_bf16)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: cuda_bf16)
    assert use_bf16(TrainConfig()) is cuda_bf16
    assert use_bf16(TrainConfig(bf16=True)) is True and use_bf16(TrainConfig(bf16=False)) is False


def test_micro_batches_pad_to_a_multiple_of_16_masked_and_unlabelled():
    """Few input shapes (the CPU kernels keep memory per shape); the padding changes no loss."""
    from s2s1.distill.train_own import _collate

    batch = [
        {"input_ids": [5] * 17, "labels": [-100] * 3 + [5] * 14},
        {"input_ids": [6] * 4, "labels": [6] * 4},
    ]
    out = _collate(batch, pad=0)
    assert out["input_ids"].shape == (2, 32)
    assert out["attention_mask"].sum(1).tolist() == [17, 4]
    assert (out["labels"] != -100).sum(1).tolist() == [14, 4]
    assert out["input_ids"][1, 4:].eq(0).all()
