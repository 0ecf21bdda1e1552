"""Distillation: export verified traces, train a student on them, evaluate it against the teacher.

- `s2s1.distill.export.export_dataset`: kept records → a `datasets` dataset with provenance and a card
- `s2s1.distill.student.make_student`: a shallower copy of the teacher (every k-th layer)
- `s2s1.distill.train.train_student`: LoRA or full fine-tuning, loss on the assistant's tokens only
- `s2s1.distill.evaluate.evaluate_model`: accuracy with a 95% interval and tokens per answer
- `s2s1.distill.report.write_report`: report.md and plots

The submodules import torch, transformers and datasets lazily; import them directly.
"""
