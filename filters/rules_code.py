"""The code rules: code left out where the answer should hold it (`elided_code`, `placeholder_code`)
and two soft scores (a comment standing for the user's own code, a TODO in code).

A hit the prompt asked for (the user's own code shown in the prompt, a template or a config with
placeholders; `Rule.asked`) only scores. This module does not apply the rules (`s2s1.filters.rules`
does) and does not run code (the code verifier does).

Example:
    >>> [r.id for r in CODE_RULES][:4]
    ['elided_code', 'placeholder_code', 'left_out_code', 'config_ellipsis']
"""

from __future__ import annotations

from s2s1.filters import checks, rules_elided, rules_elided_words
from s2s1.filters.rules_types import OK, Rule

__all__ = ["CODE_RULES"]

CODE_RULES: list[Rule] = [
    Rule(
        "elided_code",
        "drop",
        "raw",
        "code left out ('rest of the code remains the same')",
        rules_elided.elided_code,
        triggers=[
            "```python\ndef f():\n    # ... rest of the code\n```",
            "The rest of the code remains the same.",
            "```js\n// ... existing code ...\n```",
            "```js\nfunction f() {\n  /* same as before */\n}\n```",
            "```python\ndef f():\n    # TODO: parse\n    pass\n```",
            "Everything else in your function stays as it was.",
            "```python\n# ... der Rest bleibt gleich ...\n```",
        ],
        passes=[
            "```python\nclass P(Protocol):\n    def f(self) -> int: ...\n```",
            "x = a[..., 0], so \\boxed{0}.",
            "The rest of the proof is similar, so \\boxed{1}.",
            "```python\nfor x in xs:\n    # remaining items go to the right half\n    right.append(x)\n```",
            "```python\ntry:\n    f()\nexcept KeyError:  # missing key is fine\n    pass\n```",
            "If x is 0 we return early, so the rest of the function is not executed.",
            "```js\napp.use(cors());\n// ... your other middleware\n```",
        ],
        asked=("own_code",),
    ),
    Rule(
        "placeholder_code",
        "drop",
        "raw",
        "a placeholder or bare '...' where code should be ('# your code here')",
        rules_elided.placeholder_code,
        triggers=[
            "```python\ndef solve():\n    ...\n```",
            "```js\nconst app = express();\n// ... other routes go here\n```",
            "```python\nclass S:\n    # (other methods go here)\n```",
            "```python\ndef solve(n):\n    # your code here\n    pass\n```",
        ],
        passes=[
            "```python\nclass P(Protocol):\n    def f(self) -> int: ...\n```",
            "Use `...` for the rest of the slice: x = a[..., 0], so \\boxed{0}.",
            "```python\n# more precise: use fractions\nfrom fractions import Fraction\n```",
            "```text\n1\n2\n...\n100\n```\nIt prints 1 to 100.",
        ],
        asked=("own_code", "placeholder"),
    ),
    Rule(
        "left_out_code",
        "drop",
        "raw",
        "code the prompt asked for, left out in words ('I'll leave update and delete to you')",
        lambda s: rules_elided_words.left_out(s.text, s.question),
        triggers=[
            "```python\ndef f(): pass\n```\nThe rest of the methods follow the same pattern.",
            "```html\n<nav></nav>\n<!-- the rest of the page goes here -->\n```",
        ],
        passes=[
            "```python\ndef f(): pass\n```\nI've left out type hints since they add noise.",
            "```python\ndef f(): pass\n```\nOther functions you add later follow the same pattern.",
        ],
        asked=("placeholder",),
    ),
    Rule(
        "config_ellipsis",
        "score",
        "raw",
        "a bare '...' line standing for the user's own config, before the entries the answer adds (soft)",
        rules_elided.config_ellipsis,
        triggers=["```python\nINSTALLED_APPS = [\n    # ...\n    'blog',\n]\n```"],
        passes=[OK, "```python\ndef f():\n    x = 1\n    # ...\n    return x\n```"],
    ),
    Rule(
        "user_placeholder",
        "score",
        "raw",
        "a comment standing for the user's own code or config (soft: '// your code here')",
        checks.user_placeholder,
        triggers=["```c\nint main() {\n   // Your code here\n   exit(0);\n}\n```"],
        passes=[OK, "```js\n// read the user input\nconst x = 1;\n```"],
    ),
    Rule(
        "todo_in_code",
        "score",
        "raw",
        "a TODO or FIXME comment left in code (soft: scored, not dropped)",
        checks.todo_in_code,
        triggers=["```python\ndef f():\n    # TODO: handle empty input\n    return 1\n```"],
        passes=[OK, "Remember the todo list: \\boxed{3}."],
    ),
]
