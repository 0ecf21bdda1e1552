"""Our transformers backend against a plain `model.generate` loop, on one model object.

Both sample the same chat-templated prompts (system prompt + worked example + question, each
problem repeated n times in a row, as our backend orders its requests) from the embedded teacher
(SmolLM2-135M-Instruct, bf16 as our backend loads it), `--batch-size` prompts at a time with
left padding:

- baseline: a plain loop, `model.generate(**batch, do_sample=True, temperature, top_p, top_k=0,
  max_new_tokens)` — what one writes with `transformers` alone;
- ours: `TransformersGenerator("embedded", batch_size=...).generate(problems, sampling)`, with
  the same model and tokenizer objects set on it (loading is not timed).

Each baseline batch seeds torch as our backend does (the seed of its first sample), so both
draw the same tokens and do the same work (the table shows both token counts; they should
match): the ratio then measures only what our backend adds around `model.generate`, not how
long the random samples happened to be (a batch runs until its longest row ends). Generated
tokens are counted the same way for both: per row, the tokens up to and excluding the first
end-of-sequence or padding token. The two alternate for `--repeats` rounds after one warm-up
each; the table gives the median generated tokens/s of each and the ratio ours/baseline
(target >= 0.95). Absolute numbers on shared machines are noise; the ratio is the figure.

Run:  .venv/bin/python benchmarks/generate/transformers_vs_plain.py [--problems 32] [--n 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

BASELINE = "plain `model.generate` loop (baseline)"
OURS = "TransformersGenerator.generate (ours)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=32, help="builtin arithmetic problems")
    parser.add_argument("--n", type=int, default=2, help="samples per problem")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default="embedded", help="`embedded` or a model folder")
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from s2s1.generators import TransformersGenerator, build_messages, resolve_model
    from s2s1.generators.backend import sample_seed
    from s2s1.problems import arithmetic_problems
    from s2s1.records import Sampling

    path = resolve_model(args.model)
    tok = AutoTokenizer.from_pretrained(path)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.bfloat16).eval()
    if torch.cuda.is_available():  # as our backend does
        model.to("cuda")
    gen = TransformersGenerator(args.model, batch_size=args.batch_size)
    gen._model, gen._tok = model, tok  # the same objects for both

    problems = arithmetic_problems(args.problems)
    sampling = Sampling(n=args.n, temperature=0.7, top_p=0.95, max_tokens=args.max_tokens, seed=0)
    texts = [
        tok.apply_chat_template(
            build_messages(p, gen.system_prompt, gen.few_shot), add_generation_prompt=True, tokenize=False
        )
        for p in problems
        for _ in range(args.n)
    ]
    seeds = [sample_seed(sampling.seed, p.id, i) for p in problems for i in range(args.n)]
    ends = {tok.eos_token_id, tok.pad_token_id, *_as_list(model.generation_config.eos_token_id)} - {None}

    def plain() -> tuple[int, int]:
        rows = 0
        n_tok = 0
        for start in range(0, len(texts), args.batch_size):
            torch.manual_seed(seeds[start])  # the seed ours uses for this batch: the same draws
            batch = tok(
                texts[start : start + args.batch_size],
                return_tensors="pt",
                padding=True,
                padding_side="left",
                add_special_tokens=False,
            ).to(model.device)
            with torch.inference_mode():
                out = model.generate(
                    **batch,
                    do_sample=True,
                    temperature=sampling.temperature,
                    top_p=sampling.top_p,
                    top_k=0,
                    max_new_tokens=sampling.max_tokens,
                    pad_token_id=tok.pad_token_id,
                )
            for row in out[:, batch["input_ids"].shape[1] :].tolist():
                rows += 1
                n_tok += next((k for k, t in enumerate(row) if t in ends), len(row))
        return rows, n_tok

    def ours() -> tuple[int, int]:
        traces = list(gen.generate(problems, sampling))
        return len(traces), sum(t.num_tokens for t in traces)

    variants = {BASELINE: plain, OURS: ours}
    for run in variants.values():  # warm-up
        run()
    tok_s: dict[str, list[float]] = {k: [] for k in variants}
    tokens: dict[str, list[int]] = {k: [] for k in variants}
    for round_ in range(args.repeats):
        order = list(variants) if round_ % 2 == 0 else list(variants)[::-1]
        for name in order:
            start = time.perf_counter()
            samples, n_tok = variants[name]()
            seconds = time.perf_counter() - start
            assert samples == len(texts), (name, samples)
            tok_s[name].append(n_tok / seconds)
            tokens[name].append(n_tok)

    med = {k: statistics.median(v) for k, v in tok_s.items()}
    print(
        f"{len(problems)} arithmetic problems x n={args.n} = {len(texts)} samples, batch {args.batch_size}, "
        f"max_tokens {args.max_tokens}, temperature 0.7, top_p 0.95, top_k 0, bf16; "
        f"{args.repeats} rounds, {os.cpu_count()} cores, torch {torch.__version__}"
    )
    print("| variant | generated tok/s (median) | tokens/round (median) | per round tok/s | ratio |")
    print("| --- | ---: | ---: | --- | ---: |")
    for name in variants:
        rounds = ", ".join(f"{x:.0f}" for x in tok_s[name])
        ratio = med[name] / med[BASELINE]
        print(
            f"| {name} | {med[name]:.0f} | {statistics.median(tokens[name]):.0f} | {rounds} | {ratio:.3f} |"
        )
    print(f"\nours / baseline: {med[OURS] / med[BASELINE]:.3f} (target >= 0.95)")
    same = "the same" if tokens[OURS] == tokens[BASELINE] else "NOT the same (sampling noise in the ratio)"
    print(f"generated tokens per round: {same} for both ({tokens[BASELINE]} vs {tokens[OURS]})")


def _as_list(ids: int | list[int] | None) -> list[int]:
    return [] if ids is None else [ids] if isinstance(ids, int) else list(ids)


if __name__ == "__main__":
    main()
