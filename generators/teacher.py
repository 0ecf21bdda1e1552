"""The run's teacher: the configured backend, prompted by the constitution in export mode `context`.

Every run builds its teacher here (`build_teacher`): in export modes `reasoning`, `direct` and
`compact` it is `build_generator(cfg.generate)`; in mode `context` the teacher answers with the
constitution in its prompt (`teacher_prompt`: the principles in the system message, the
constitution's worked example as the demonstration), which the student's rows leave out
(distill/adapters.py trains and compares those adapters).

It loads nothing: models load and servers are called on first use, as with `build_generator`.

Example:
    >>> from s2s1.config import Config
    >>> build_teacher(Config.model_validate({"generate": {"backend": "fake"}})).teacher
    'fake-teacher'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from s2s1.config import Config
from s2s1.generators import build_generator
from s2s1.generators.backend import Backend
from s2s1.generators.prompts import SYSTEM_PROMPT, FewShot

if TYPE_CHECKING:
    from s2s1.constitution import Constitution

__all__ = ["build_teacher", "distilled_constitution", "teacher_prompt"]


def teacher_prompt(constitution: Constitution, few_shot: FewShot) -> tuple[str, FewShot]:
    """(system prompt, few-shot) of a teacher answering by `constitution`.

    The constitution's worked example replaces the default one; without a worked example the
    `few_shot` setting stands.
    """
    from s2s1.constitution import context_messages

    system, demo = context_messages(constitution, SYSTEM_PROMPT)
    return system, demo or few_shot


def distilled_constitution(cfg: Config) -> Constitution | None:
    """The constitution distilled in export mode `context` (None in the other modes)."""
    from s2s1.constitution import load_constitution

    return load_constitution(cfg.filter.constitution) if cfg.export.mode == "context" else None


def build_teacher(cfg: Config) -> Backend:
    """The teacher, answering with the constitution in its prompt in export mode `context`."""
    constitution = distilled_constitution(cfg)
    if constitution is None:
        return build_generator(cfg.generate)
    system, few_shot = teacher_prompt(constitution, cfg.generate.few_shot)
    return build_generator(cfg.generate, system_prompt=system, few_shot=few_shot)
