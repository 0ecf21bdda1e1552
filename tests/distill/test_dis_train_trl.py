"""The `trl` training backend: SFTConfig mapping and pass-through, the completion-only mask on the
real chat template, over-long rows dropped and counted, training and resuming.

Runs on the 4-layer random model of `tiny_model_dir` with the teacher's real tokenizer.
"""

from __future__ import annotations

import datasets
import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer

from s2s1.config import Config, TrainConfig
from s2s1.distill.train import train_student
from s2s1.distill.train_common import use_bf16
from s2s1.distill.train_trl import prompt_completion, sft_config
from s2s1.errors import UserError

pytest.importorskip("trl")


def _chat(i: int, answer: str | None = None) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "Be exact."},
        {"role": "user", "content": f"What is {i}+1?"},
        {"role": "assistant", "content": answer or f"So \\boxed{{{i + 1}}}."},
    ]


@pytest.fixture(scope="module")
def dataset_with_a_long_row(tmp_path_factory):
    rows = [{"messages": _chat(i)} for i in range(6)] + [{"messages": _chat(9, "very long " * 200)}]
    path = tmp_path_factory.mktemp("ds") / "dataset"
    datasets.Dataset.from_list(rows).save_to_disk(str(path))
    return path


def test_train_keys_map_onto_sft_config(tmp_path):
    cfg = TrainConfig(
        batch_size=8,
        gradient_accumulation_steps=2,
        warmup_ratio=0.1,
        weight_decay=0.01,
        report_to=["tensorboard"],
        sft_args={"lr_scheduler_type": "cosine", "optim": "adamw_torch"},
    )
    args = sft_config(cfg, tmp_path, steps=10, processes=2)
    assert (args.per_device_train_batch_size, args.gradient_accumulation_steps) == (2, 2)  # 2 × 2 × 2 = 8
    assert (args.max_steps, args.warmup_steps, args.weight_decay) == (10, 0.1, 0.01)
    assert args.completion_only_loss and args.max_length is None  # never truncates
    assert args.report_to == ["tensorboard"] and args.lr_scheduler_type == "cosine"
    assert args.bf16 == use_bf16(cfg)  # null: CUDA with bf16 only
    assert not sft_config(cfg.model_copy(update={"bf16": False}), tmp_path, steps=10, processes=2).bf16


@pytest.mark.parametrize(
    ("sft_args", "message"),
    [
        ({"learning_rat": 1.0}, "train.sft_args.learning_rat: not a field of trl.SFTConfig"),
        ({"learning_rate": 1.0}, "train.sft_args.learning_rate: set by the train: keys"),
    ],
)
def test_a_bad_pass_through_field_is_a_one_line_user_error(sft_args, message, tmp_path):
    with pytest.raises(UserError, match=message) as e:
        sft_config(TrainConfig(sft_args=sft_args), tmp_path, steps=1, processes=1)
    assert "\n" not in str(e.value)


def test_a_batch_that_does_not_split_over_processes_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="multiple of 4"):
        sft_config(TrainConfig(batch_size=6, gradient_accumulation_steps=2), tmp_path, steps=1, processes=2)


def test_the_own_loop_refuses_trl_only_keys(dataset_with_a_long_row, tiny_model_dir, tmp_path):
    cfg = TrainConfig(backend="own", warmup_ratio=0.1, max_steps=1)
    with pytest.raises(UserError, match="train.warmup_ratio: needs train.backend: trl"):
        train_student(dataset_with_a_long_row, tiny_model_dir, tmp_path / "s", cfg)


def test_the_config_takes_the_trl_keys():
    cfg = Config.model_validate({"train": {"backend": "trl", "sft_args": {"optim": "adamw_torch"}}})
    assert cfg.train.backend == "trl" and cfg.train.sft_args == {"optim": "adamw_torch"}


def test_completion_only_loss_covers_exactly_the_assistant_tokens(tiny_model_dir, tmp_path):
    from trl import SFTTrainer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    chat = _chat(2, "<think>\n2 plus 1\n</think>\nSo \\boxed{3}.")
    trainer = SFTTrainer(
        model=AutoModelForCausalLM.from_pretrained(tiny_model_dir),
        args=sft_config(TrainConfig(batch_size=1), tmp_path, steps=1, processes=1),
        train_dataset=datasets.Dataset.from_list([prompt_completion({"messages": chat})]),
        processing_class=tok,
    )
    row = trainer.train_dataset[0]
    trained = [t for t, label in zip(row["input_ids"], row["labels"], strict=True) if label != -100]
    # the answer, its end-of-turn token, and the template's newline after it; no prompt token
    assert tok.decode(trained) == chat[-1]["content"] + tok.eos_token + "\n"
    assert tok.decode(row["input_ids"]) == tok.apply_chat_template(chat, tokenize=False)


def test_export_prompt_completion_columns_are_used_when_present():
    row = {
        "prompt": _chat(1)[:2],
        "completion": [{"role": "assistant", "content": "X"}],
        "messages": _chat(1),
    }
    assert prompt_completion(row)["completion"][0]["content"] == "X"


def test_trl_training_lowers_the_loss_drops_long_rows_and_saves_a_plain_model(
    dataset_with_a_long_row, tiny_model_dir, tmp_path
):
    cfg = TrainConfig(
        backend="trl", max_steps=12, batch_size=3, learning_rate=1e-2, lora_rank=4, max_length=128
    )
    result = train_student(dataset_with_a_long_row, tiny_model_dir, tmp_path / "student", cfg)
    assert (result.backend, result.steps, result.examples, result.dropped_too_long) == ("trl", 12, 6, 1)
    assert len(result.losses) == 12 and sum(result.losses[-3:]) < sum(result.losses[:3])
    assert result.tokens_per_second > 0
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "student")  # merged: no adapter files needed
    assert not any("lora" in name for name, _ in model.named_parameters())
    assert (tmp_path / "student" / "train_log.jsonl").read_text().count("\n") == 12
    assert not (tmp_path / "student.checkpoint").exists()


def test_trl_resumes_from_its_checkpoint_folder(
    dataset_with_a_long_row, tiny_model_dir, tmp_path, monkeypatch
):
    import shutil

    import s2s1.distill.train_trl

    cfg = TrainConfig(
        backend="trl", student="layers", max_steps=4, batch_size=2, learning_rate=1e-3, checkpoint_every=2
    )
    whole = train_student(dataset_with_a_long_row, tiny_model_dir, tmp_path / "whole", cfg)
    monkeypatch.setattr(
        s2s1.distill.train_trl, "save_student", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt())
    )
    with pytest.raises(KeyboardInterrupt):
        train_student(dataset_with_a_long_row, tiny_model_dir, tmp_path / "student", cfg)
    monkeypatch.undo()
    shutil.rmtree(tmp_path / "student.checkpoint" / "checkpoint-4")  # as if killed during step 3
    from trl import SFTTrainer

    real, calls = SFTTrainer.training_step, []
    monkeypatch.setattr(
        SFTTrainer, "training_step", lambda self, *a, **k: calls.append(1) or real(self, *a, **k)
    )
    resumed = train_student(dataset_with_a_long_row, tiny_model_dir, tmp_path / "student", cfg)
    monkeypatch.undo()
    assert len(calls) == 2  # steps 3 and 4: checkpoint-2 was resumed
    assert resumed.losses == pytest.approx(whole.losses, abs=1e-3)
    a = AutoModelForCausalLM.from_pretrained(tmp_path / "whole").state_dict()
    b = AutoModelForCausalLM.from_pretrained(tmp_path / "student").state_dict()
    assert all((a[k].float() - b[k].float()).abs().max() < 1e-2 for k in a)
    with pytest.raises(UserError, match="other train settings"):
        (tmp_path / "again.checkpoint").mkdir()
        (tmp_path / "again.checkpoint" / "train_config.json").write_text("{}")
        train_student(dataset_with_a_long_row, tiny_model_dir, tmp_path / "again", cfg)
