"""Constitution adapters: context distillation of a written constitution into a LoRA adapter.

The teacher answers with the constitution in its prompt (`teacher_prompt`: the principles in the
system message, the constitution's worked example as the demonstration); the student's rows leave
it out (export mode `context`), and a LoRA adapter on the frozen base learns to answer the same
way without it (`distill/train.py` saves it with `adapter.json` and `constitution.md`).

`compare_adapters` loads the base once with every adapter attached under its own name (`peft`
multi-adapter; `SideBySide`) and measures, on held-out problems with the same sampling:

- `base`: the base model with the plain prompt (the student's system message, no example);
- per adapter, `base_with_prompt`: the base with that adapter's constitution in the prompt, and
  `adapter`: the base with the adapter switched on and the plain prompt;

each with task accuracy (the run's verifiers) and the constitution judge's pass rate (the share of
samples it keeps), both with 95% bootstrap intervals over problems, and the prompt tokens the
adapter saves per request; `cross` gives each adapter's pass rate under every constitution.
It does not train (see `distill/train.py`) and does not merge adapters; on GPU, vLLM serves the
same adapter folders (`generators/vllm_backend.py`, docs/adapters.md). It compares on the
transformers backend only.

Example:
    >>> compare_adapters(cfg, [Path("runs/one/student")], problems, cache)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s2s1.config import Config, FilterConfig
from s2s1.constitution import Constitution, parse_constitution
from s2s1.errors import UserError
from s2s1.generators.backend import Completion, Request
from s2s1.generators.prompts import FewShot, build_messages
from s2s1.generators.teacher import distilled_constitution, teacher_prompt
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.records import Problem, Sampling

__all__ = [
    "Adapter",
    "SideBySide",
    "compare_adapters",
    "distilled_constitution",  # from s2s1.generators.teacher, where every run's teacher is built
    "held_out_problems",
    "prompt_tokens",
    "read_adapter",
    "teacher_prompt",  # likewise
]


@dataclass(frozen=True)
class Adapter:
    """A trained constitution adapter folder and what it was trained with."""

    name: str
    folder: Path
    base: str
    system_prompt: str
    """The plain prompt's system message (the student's rows had it)."""
    constitution: Constitution


def read_adapter(folder: Path) -> Adapter:
    """The adapter in `folder` (a run's `student/` in export mode `context`); UserError if it is not one."""
    folder = Path(folder)
    info_path = folder / "adapter.json"
    if not info_path.is_file() or not (folder / "adapter_config.json").is_file():
        raise UserError(
            f"{folder}: not a constitution adapter (no adapter.json / adapter_config.json); "
            "train one with export.mode: context (see docs/adapters.md)"
        )
    info = json.loads(info_path.read_text())
    text = (folder / "constitution.md").read_text(encoding="utf-8")
    constitution = parse_constitution(text, info["constitution_source"])
    name = folder.parent.name if folder.name == "student" else folder.name
    return Adapter(name, folder, info["base"], info["system_prompt"], constitution)


class SideBySide:
    """One base model in memory with several adapters attached (peft), switched per generator.

    Example:
        >>> side = SideBySide("embedded", [read_adapter(Path("runs/one/student"))])  # doctest: +SKIP
        >>> side.generator(None, "Be brief.", False)  # the base, every adapter off  # doctest: +SKIP
    """

    def __init__(self, base: str, adapters: Sequence[Adapter], batch_size: int = 32) -> None:
        from peft import PeftModel

        bases, names = {a.base for a in adapters}, [a.name for a in adapters]
        if len(bases) > 1:
            raise UserError(
                f"adapters: trained on different bases ({', '.join(sorted(bases))}); compare them apart"
            )
        if len(set(names)) < len(names):
            raise UserError(
                f"adapters: two are named alike ({', '.join(names)}); give their run folders other names"
            )
        self.base = TransformersGenerator(base, batch_size=batch_size)
        self.base._load()
        model = self.base._model
        # adapter weights in the base's dtype, as transformers loads a single adapter folder
        for i, a in enumerate(adapters):
            if i == 0:
                model = PeftModel.from_pretrained(
                    model, str(a.folder), adapter_name=a.name, autocast_adapter_dtype=False
                )
            else:
                model.load_adapter(str(a.folder), adapter_name=a.name, autocast_adapter_dtype=False)
        self.model, self.tokenizer, self.batch_size = model.eval(), self.base._tok, batch_size

    def generator(
        self, adapter: Adapter | None, system_prompt: str, few_shot: FewShot
    ) -> TransformersGenerator:
        """A generator on the shared model with `adapter` switched on (None: all off)."""
        return _Switched(self, adapter, system_prompt, few_shot)


class _Switched(TransformersGenerator):
    """A TransformersGenerator on `SideBySide`'s model that switches its adapter before sampling."""

    def __init__(
        self, side: SideBySide, adapter: Adapter | None, system_prompt: str, few_shot: FewShot
    ) -> None:
        super().__init__(side.base.model_name, system_prompt, few_shot, batch_size=side.batch_size)
        self.teacher = f"{side.base.teacher}+{adapter.name}" if adapter else side.base.teacher
        self._side, self._adapter = side, adapter
        self._model, self._tok = side.model, side.tokenizer

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        model = self._side.model
        if self._adapter is None:
            model.base_model.disable_adapter_layers()
        else:
            model.base_model.enable_adapter_layers()
            model.set_adapter(self._adapter.name)
        yield from super().complete(requests, sampling)


def prompt_tokens(
    tokenizer: Any, problems: Sequence[Problem], system_prompt: str, few_shot: FewShot
) -> float:
    """Mean prompt length in tokens (chat template included) over `problems`."""
    texts = [
        tokenizer.apply_chat_template(
            build_messages(p, system_prompt, few_shot), add_generation_prompt=True, tokenize=False
        )
        for p in problems
    ]
    lengths = [len(ids) for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]]
    return sum(lengths) / len(lengths) if lengths else 0.0


def held_out_problems(cfg: Config, folders: Sequence[Path]) -> list[Problem]:
    """The held-out problems of `cfg` (as its runs split them); UserError if an adapter trained on one.

    An adapter's run folder (the parent of `student/`) lists its training problems; none may be
    among the held-out ones.
    """
    from s2s1.problems import held_out_split, read_problem_file

    held_out = held_out_split(cfg.problems)[1]
    ids = {p.id for p in held_out}
    for folder in folders:
        trained = Path(folder).parent / "problems" / "train.jsonl"
        seen = ids & {p.id for p in read_problem_file(trained)} if trained.exists() else set()
        if seen:
            raise UserError(
                f"{folder}: trained on {len(seen)} of the held-out problems (e.g. {sorted(seen)[0]}); "
                "compare with the config the adapter was trained with"
            )
    return held_out


def compare_adapters(
    cfg: Config, folders: Sequence[Path], problems: Sequence[Problem], cache: Path
) -> dict[str, Any]:
    """Base, base with each constitution's prompt, and base with each adapter (module docstring).

    `cfg` gives the teacher's few-shot setting, the verifiers, the judge model and the sampling
    (`evaluate.sampling`); `cache` is the judge's cache file.
    """
    from s2s1.distill.evaluate import judge_pass_rate, sample_records, summarize
    from s2s1.filters import build_judge
    from s2s1.verifiers import load_verifiers

    if not problems:
        raise UserError("adapters: no held-out problems; raise problems.eval_fraction or add problems")
    adapters = [read_adapter(f) for f in folders]
    side = SideBySide(adapters[0].base, adapters, cfg.generate.batch_size)
    verifiers = load_verifiers(cfg.verify.verifiers)

    def run(
        adapter: Adapter | None, system: str, few_shot: FewShot, judge: Any
    ) -> tuple[dict[str, Any], Any]:
        gen, sampling = side.generator(adapter, system, few_shot), cfg.evaluate.sampling
        records = sample_records(
            gen, problems, sampling, verifiers, timeout_s=cfg.verify.timeout_s, workers=cfg.verify.workers
        )
        result = summarize(records, sampling) | (judge_pass_rate(records, judge) if judge else {})
        result["prompt_tokens"] = round(prompt_tokens(side.tokenizer, problems, system, few_shot), 1)
        return result, records

    plain = adapters[0].system_prompt
    base, base_records = run(None, plain, False, None)
    out: dict[str, Any] = {"base": base, "adapters": {}}
    judges, answers = {}, {}
    for a in adapters:
        config = FilterConfig(constitution=a.folder / "constitution.md", judge=cfg.filter.judge)
        judges[a.name] = judge = build_judge(config, cache, cfg.generate)
        system, few_shot = teacher_prompt(a.constitution, cfg.generate.few_shot)
        prompted = run(None, system, few_shot, judge)[0]
        adapted, answers[a.name] = run(a, a.system_prompt, False, judge)
        out["adapters"][a.name] = {
            "constitution_hash": a.constitution.hash,
            "base": judge_pass_rate(base_records, judge),
            "base_with_prompt": prompted,
            "adapter": adapted,
            "prompt_tokens_saved": round(prompted["prompt_tokens"] - adapted["prompt_tokens"], 1),
        }
    # each adapter's answers under every constitution: contrasting adapters keep only their own
    out["cross"] = {
        a: {c: judge_pass_rate(records, judge)["judge_pass_rate"] for c, judge in judges.items()}
        for a, records in answers.items()
    }
    return out
