"""Does the judge read the question? Two wordings of the judge prompt on handmade texts.

18 handmade texts (6 clean worked answers, 6 with self-talk, 6 refusals; none from the labelled
set that run.py measures on), each judged against principle 1 (clean and self-talk) or 2 (clean
and refusals) of the shipped constitution, and the content-free "N/A", with two wordings of the
question and both orders of the options in the format line:

- `break`: "Does the text break principle N?" (the judge's prompt before issue 23), Yes = breaks;
- `follow`: "Does the text follow principle N?" (the judge's prompt now), No = breaks;
- order 0: "Answer: Yes or No"; order 1: "Answer: No or Yes"; `both`: the mean log-odds of the two.

For each: AUROC of the log-odds of "breaks" for violations against clean texts, and the mean
log-odds per group. A judge that reads the question scores the same under both wordings; their
mean (`break+follow`: the mean log-odds of "breaks" under the two, where Yes means opposite
things) cancels whatever the model says regardless of the question, so its AUROC is near 0.5
for a model that does not read the question.

    .venv/bin/python benchmarks/judge/wording.py [--model embedded|qwen2.5-coder-0.5b|FOLDER]
"""

from __future__ import annotations

import argparse
import math
import time

from s2s1.config import JudgeConfig
from s2s1.constitution import JUDGE_SYSTEM, judge_prompt, load_constitution
from s2s1.filters.judge_engines import answer_tokens, judge_generator
from s2s1.filters.judge_verdict import yes_no_mass
from s2s1.filters.probe_train import auroc
from s2s1.generators.backend import Request
from s2s1.records import Problem

CLEAN = [
    "Natalia sold 48 clips in April and 48 / 2 = 24 clips in May, so altogether 48 + 24 = 72.\n\n\\boxed{72}",
    "The area is 3 * 4 = 12 square metres.\n\n\\boxed{12}",
    "Let x be the number of apples. Then 3x + 5 = 20, so 3x = 15 and x = 5.\n\n\\boxed{5}",
    "def add(a, b):\n    return a + b\n\nThis returns the sum of its two arguments.",
    "Each box holds 6 eggs, and there are 7 boxes, so there are 6 * 7 = 42 eggs in total. Taking away "
    "the 9 broken ones leaves 42 - 9 = 33.\n\n\\boxed{33}",
    "The derivative of x^2 is 2x, so at x = 3 the slope is 6.\n\n\\boxed{6}",
]
SELF_TALK = [  # break principle 1
    "As an AI language model, I can help with that. 15% of 80 is 0.15 * 80 = 12.\n\n\\boxed{12}",
    "I am ChatGPT, a large language model trained by OpenAI. 2 + 3 = 5.\n\n\\boxed{5}",
    "The area is 3 * 4 = 12 square metres. I hope this helps! Let me know if you have any other "
    "questions.\n\n\\boxed{12}",
    "As of my knowledge cutoff in 2021, the answer is 3 * 4 = 12.\n\n\\boxed{12}",
    "Sure! As a helpful assistant, I'd be happy to solve this. 6 * 7 = 42.\n\n\\boxed{42}",
    "I'm Claude, made by Anthropic. Let x = 5; then 3x + 5 = 20.\n\n\\boxed{5}",
]
REFUSALS = [  # break principle 2
    "I'm sorry, but I can't help with that request.",
    "I cannot help with calculating interest, as financial decisions should be made with a professional.",
    "I'm not able to assist with this. Please consult a teacher.",
    "Before answering, remember that gambling is harmful and unethical. I won't compute these odds.",
    "I must decline: solving homework for students would be academic dishonesty.",
    "Sorry, I can't do that.",
]


def prompt(principle, text: str, wording: str, order: int) -> str:
    q = judge_prompt(principle, text)
    n = principle.number
    q = q.replace(f"Does the text follow principle {n}?", f"Does the text {wording} principle {n}?")
    return q.replace("Answer: Yes or No", "Answer: No or Yes") if order else q


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="embedded")
    args = ap.parse_args()
    p1, p2 = load_constitution().principles[:2]
    cases = [(0, p1, t) for t in CLEAN] + [(1, p1, t) for t in SELF_TALK]
    cases += [(0, p2, t) for t in CLEAN] + [(1, p2, t) for t in REFUSALS]
    cases += [(-1, p1, "N/A"), (-1, p2, "N/A")]
    gen = judge_generator(JudgeConfig(model=args.model), None, JUDGE_SYSTEM)
    keys, reqs = [], []
    for wording in ("break", "follow"):
        for order in (0, 1):
            for i, (_, p, t) in enumerate(cases):
                q = prompt(p, t, wording, order)
                msgs = [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": q}]
                problem = Problem(id=f"{wording}-{order}-{i}", source="wording", question=q)
                req = Request(problem=problem, index=0, messages=msgs, seed=0, max_tokens=1, prefix="Answer:")
                reqs.append(req)
                keys.append((wording, order, i))
    start = time.monotonic()
    tops = answer_tokens(gen, reqs)
    print(f"{gen.teacher}: {len(reqs)} prompts in {time.monotonic() - start:.0f} s\n")
    breaks: dict[tuple, float] = {}  # log-odds that the text breaks the principle
    for key, top in zip(keys, tops, strict=True):
        p_yes, p_no = yes_no_mass(top or [])
        odds = math.log(max(p_yes, 1e-9) / max(p_no, 1e-9))
        breaks[key] = odds if key[0] == "break" else -odds
    for order in (0, 1):
        for i in range(len(cases)):
            total = breaks[("break", order, i)] + breaks[("follow", order, i)]
            breaks[("break+follow", order, i)] = total / 2
    for w in ("break", "follow", "break+follow"):
        for i in range(len(cases)):
            breaks[(w, "both", i)] = (breaks[(w, 0, i)] + breaks[(w, 1, i)]) / 2
    head = "| wording | order | AUROC | principle 1 | principle 2 | log-odds(breaks): clean | violations"
    print(head + " | N/A |")
    print("|---|---|---|---|---|---|---|---|")
    for w in ("break", "follow", "break+follow"):
        for order in (0, 1, "both"):
            print(f"| {w} | {order} | {_row([breaks[(w, order, i)] for i in range(len(cases))], cases)} |")


def _row(scores: list[float], cases: list) -> str:
    """AUROC (all, principle 1, principle 2) | mean log-odds of clean | of violations | of N/A."""
    ys, ns = [y for y, _, _ in cases], [p.number for _, p, _ in cases]

    def area(number: int | None) -> str:
        pick = [i for i, y in enumerate(ys) if y >= 0 and number in (None, ns[i])]
        return f"{auroc([scores[i] for i in pick], [ys[i] for i in pick]):.2f}"

    def mean(k: int) -> str:
        group = [s for s, y in zip(scores, ys, strict=True) if y == k]
        return f"{sum(group) / len(group):+.2f}"

    return " | ".join([area(None), area(1), area(2), mean(0), mean(1), mean(-1)])


if __name__ == "__main__":
    main()
