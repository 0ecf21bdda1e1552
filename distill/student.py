"""The untrained `layers` student: a shallower copy of the teacher (a `lora` student needs none).

`make_student` keeps every k-th decoder layer of the teacher (and always the last one, which
feeds the output head) with all of its other weights, so the student starts from the teacher's
embeddings and vocabulary and needs no tokenizer of its own. With 30 layers and k=2 it keeps 16.

It supports decoder-only models whose layers live in `model.model.layers` (Llama, Qwen, Mistral,
SmolLM and most causal LMs in `transformers`). Measured on SmolLM2-135M: with k=2 the copy's
loss on the teacher's own verified traces is about 12 against the teacher's 0.9, so it needs
much more training than a LoRA student does.

Example:
    >>> make_student(Path("teacher"), Path("runs/x/student_init"), keep_every=2)  # doctest: +SKIP
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from s2s1.errors import UserError
from s2s1.shards import follow_umask

__all__ = ["kept_layers", "make_student"]


def kept_layers(num_layers: int, keep_every: int) -> list[int]:
    """Indices of the teacher layers the student keeps: 0, k, 2k, … and the last.

    Example:
        >>> kept_layers(6, 2)
        [0, 2, 4, 5]
    """
    return sorted(set(range(0, num_layers, keep_every)) | {num_layers - 1})


def make_student(teacher_dir: Path, out_dir: Path, keep_every: int) -> Path:
    """Save a copy of the teacher with only `kept_layers` to `out_dir` (atomically) and return it."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not (Path(teacher_dir) / "config.json").exists():
        raise UserError(f"train: the student is derived from a local teacher folder; {teacher_dir} has none")
    model = AutoModelForCausalLM.from_pretrained(teacher_dir, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(teacher_dir)
    layers = getattr(getattr(model, "model", None), "layers", None)
    if layers is None:
        raise UserError(f"train.student: {teacher_dir} has no model.layers to thin; use a decoder-only model")
    keep = kept_layers(len(layers), keep_every)
    model.model.layers = torch.nn.ModuleList([layers[i] for i in keep])
    for new_index, layer in enumerate(model.model.layers):
        if hasattr(layer, "self_attn"):
            layer.self_attn.layer_idx = new_index
    model.config.num_hidden_layers = len(keep)
    if getattr(model.config, "layer_types", None):
        model.config.layer_types = [model.config.layer_types[i] for i in keep]
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    try:
        model.to(torch.bfloat16).save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / "student.txt").write_text(f"teacher: {teacher_dir}\nkept layers: {keep}\n")
        follow_umask(tmp)  # mkdtemp made it 0700
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir
