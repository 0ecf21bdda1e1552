"""The maths verifier's judgement calls, as options with the defaults most public graders use.

- `percent`: how a percent sign reads. `"either"` (default): `50\\%` equals both `50` and `0.5`,
  as math-verify (0.9) and Qwen2.5-Math's `math_equal` (`include_percentage=True`) grade it;
  `"strip"`: the sign is dropped, so `50\\%` equals `50` but not `0.5`, as PRM800K's grader and
  lm-eval's Minerva normalisation do. Either way a bare `500` never equals `5`.
- `tuple_vs_list`: a bare list (`3, 4`, or boxes read together: `x=\\boxed{3}, y=\\boxed{4}`) or
  a brace set (`\\{1, 3\\}`) against a tuple gold `(3, 4)`. `"in order"` (default): equal when
  the items are equal in the order written, as math-verify and Qwen2.5-Math compare them;
  `"strict"`: a tuple gold takes only a tuple. Sets and lists against each other are unordered
  either way, and an interval never equals a list.
- `units`: a unit word after a number gold (`12 cm`, `5 dollars`). `"ignore"` (default): the unit
  is dropped on both sides, so `12` equals `12 cm`, as hendrycks/math's `is_equiv`, PRM800K,
  MARIO_EVAL and simple-evals' judge prompt ("give benefit of the doubt to units") grade it;
  `"required"`: an answer to a gold with a unit must carry the same unit word (`12 cm`, not `12`
  or `12 m`). It never converts units, and it applies to number golds only. A one-letter symbol
  is a unit where it cannot be a variable: an SI symbol set apart by a space (`12 N`, `12 J`;
  `s2s1.verifiers.math_number.SYMBOLS`), any letter in `\\text{}` or `\\mathrm{}` (`5\\,\\text{m}`),
  and the same letter on the other side of such a gold or answer (`5.0 m`); otherwise it is a
  variable (`12 x`, `12N`, `5 m` against `5`).
- `form`: `"value"` (default): any form with the same value is equal (`(x+1)(x-1)` and `x^2-1`),
  as math-verify, Qwen2.5-Math, MARIO_EVAL and NeMo-Skills' `math_equal` compare; `"as gold"`: for
  an expression gold with variables, the answer must also be written factored (a product, no
  `+`/`-` outside parentheses) or expanded (no parentheses) as the gold is, for questions that
  ask for a form ("factor", "expand"); the order of terms or factors never matters.
- `approx`: a decimal against an exact value whose decimal never ends (`\\sqrt3`, `40\\pi`,
  `1/3`). `"digits"` (default; `s2s1.verifiers.math_approx`): an answer with four or more
  significant digits equals the exact gold when it is that value rounded or cut off at its last
  digit (`1.732` is `\\sqrt3`, `125.663` is `40\\pi`, `0.3333` is `1/3`; `0.333`, `3.14` and `1.733`
  are not), also as a number inside an expression (`x + 1.414i`); a decimal gold with three or
  more significant digits takes an exact answer that rounds to it (`2.83` takes `2\\sqrt2`).
  MARIO_EVAL (5e-3 absolute, 1e-3 relative below 1) and Qwen2.5-Math's `math_equal` (1e-4
  relative) accept approximate answers too, looser in places; `"exact"`: only within `REL_TOL`
  (1e-6 relative), close to math-verify's default rounding to 6 digits.
- `boxes`: two different boxes split by a sentence end (`\\boxed{4}. \\boxed{3}`), read by
  `s2s1.verifiers.math_extract`. `"last"` (default): the last is the answer, as hendrycks/math's
  `last_boxed_only_string`, Qwen2.5-Math's and DeepSeek-Math's `extract_answer` take the last box
  of any text, so a gold that matches only the first is incorrect; `"all"`: both, as one list
  (math-verify 0.9 reads every box of a text into one set), which equals neither alone. Boxes
  joined by commas or "and", or labelled (`a = \\boxed{6}. b = \\boxed{7}`), are a list either way.

It does not choose the extraction fallback (`MathVerifier(last_number=…)` does).

Example:
    >>> from s2s1.verifiers.math_compare import answers_match
    >>> answers_match(pred="50\\\\%", gold="0.5"), answers_match(pred="50\\\\%", gold="0.5", options=STRICT)
    ((True, 'numeric'), (False, 'numeric'))
    >>> answers_match(pred="x^2-1", gold="(x+1)(x-1)", options=MathOptions(form="as gold"))
    (False, 'symbolic')
    >>> MathOptions(percent="half")
    Traceback (most recent call last):
    ...
    ValueError: percent must be 'either' or 'strip', not 'half'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT", "STRICT", "MathOptions"]

_CHOICES = {"percent": ("either", "strip"), "tuple_vs_list": ("in order", "strict")}
_CHOICES |= {"units": ("ignore", "required"), "form": ("value", "as gold"), "approx": ("digits", "exact")}
_CHOICES |= {"boxes": ("last", "all")}


@dataclass(frozen=True)
class MathOptions:
    """See the module docstring; invalid values fail at construction, naming the valid ones."""

    percent: str = "either"
    tuple_vs_list: str = "in order"
    units: str = "ignore"
    form: str = "value"
    approx: str = "digits"
    boxes: str = "last"

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"{name} must be {' or '.join(map(repr, allowed))}, not {value!r}")


DEFAULT = MathOptions()
STRICT = MathOptions("strip", "strict", units="required", form="as gold", approx="exact")
