"""Run `train_student` in every process of an `accelerate launch` (tests/distill/test_dis_accelerate.py).

    python launch_train.py DATASET MODEL OUT CONFIG_JSON RESULT_JSON [--die-before-save]

The main process writes the TrainResult and the number of training steps it ran to RESULT_JSON.
With --die-before-save every process stops after training, before the student is saved (and
the others stop instead of waiting for it), so the checkpoint folders stay as a killed run leaves them.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from accelerate import PartialState
from trl import SFTTrainer

import s2s1.distill.train_trl
from s2s1.config import TrainConfig
from s2s1.distill.train import train_student


def main() -> None:
    dataset, model, out, config, result_path = sys.argv[1:6]
    steps = []
    real = SFTTrainer.training_step
    SFTTrainer.training_step = lambda self, *a, **k: steps.append(1) or real(self, *a, **k)
    if "--die-before-save" in sys.argv:

        def dies(*args: object) -> None:
            raise SystemExit(3)

        train = SFTTrainer.train

        def train_then_die_unless_main(self: SFTTrainer, *a: object, **k: object) -> object:
            out = train(self, *a, **k)
            if not PartialState().is_main_process:  # instead of waiting for the main one to save
                dies()
            return out

        s2s1.distill.train_trl.save_student = dies  # the main process
        SFTTrainer.train = train_then_die_unless_main
    cfg = TrainConfig.model_validate(json.loads(config))
    try:
        result = train_student(Path(dataset), Path(model), Path(out), cfg)
    except SystemExit:
        result = None
    if PartialState().is_main_process:
        info = {
            "result": asdict(result) if result else None,
            "steps_run": len(steps),
            "processes": PartialState().num_processes,
            "backend": str(PartialState().backend),
        }
        Path(result_path).write_text(json.dumps(info))


if __name__ == "__main__":
    main()
