"""Distillation: export verified traces, train a student on them, evaluate it against the teacher.

- `distill.export.export_dataset`: kept records → a `datasets` dataset with provenance and a card
- `distill.student.make_student`: a shallower copy of the teacher (every k-th layer)
- `distill.train.train_student`: LoRA or full fine-tuning, loss on the assistant's tokens only
- `distill.evaluate.evaluate_model`: accuracy with a 95% interval and tokens per answer
- `distill.report.write_report`: report.md and plots

The submodules import torch, transformers and datasets lazily; import them directly.
"""
