"""Find the final answer in a model's text: boxes, "the final answer is", `####`, last number.

`extract_answer(text)` looks only after the last `</think>` (when that leaves anything) and tries,
in order, and returns the first that is found, with how it was found:

1. `boxed`: the last complete `\\boxed{…}` / `\\fbox{…}` (nested braces; `\\boxed 5` too). Boxes
   that end the text together, joined only by commas or "and" (`\\boxed{1331} and \\boxed{1728}`),
   are read together as one list; an earlier box is a draft and is ignored.
2. `phrase`: the last "the final answer is …", "answer: …", or the same in Chinese, Spanish,
   French, German, Portuguese, Italian, Russian, Japanese, Korean or Indonesian: a maths span
   right after it, or else its sentence from the last "is" on ("Final answer: the area of $S$
   is 64." → `64`), or the maths span in that part, or its one number when that part is prose.
3. `####`: the last GSM8K-style `#### n`.
4. `last number` with `last_number=True`: the last number in the text (not inside a word);
   otherwise `last maths span`: the content of the last `$…$`, `$$…$$`, `\\[…\\]` or `\\(…\\)`.
   Neither when the text holds a `\\boxed{` that never closes (a cut-off answer).

`gold_answer` reduces a gold field the same way (`… #### 72`, a MATH solution's `\\boxed{}`).
It does not judge the reasoning, and it never guesses an answer from prose without one of these
markers unless asked to.

Example:
    >>> extract_answer("first \\\\boxed{1}, then \\\\boxed{\\\\frac{1}{2}}.")
    ('\\\\frac{1}{2}', 'boxed')
    >>> extract_answer("La respuesta final es $7$."), extract_answer("so 12 eggs", last_number=True)
    (('7', 'phrase'), ('12', 'last number'))
"""

from __future__ import annotations

import re

__all__ = ["extract_answer", "gold_answer"]

_BOXED = re.compile(r"\\(?:boxed|fbox)\b")
_JOIN = re.compile(
    r"[\s,;$.]*(?:(?:and|or|&|\\text\{\s*(?:and|or)\s*\}|\\quad|\\qquad)[\s,;$]*)?(?:[a-zA-Z]\s*=\s*)?"
)
_GSM8K = re.compile(r"####[ \t]*([^\n]*)")
_PHRASE = re.compile(
    r"(?:final answer|the answer|answer)\s*(?:is|:|=)\s*:?|\banswer\s*(?=\$|\\\[|\\\()"
    r"|答案(?:是|为|為|：|:)|最终答案(?:是|为|：|:)|答えは|정답은|답은"
    r"|(?:la )?respuesta(?: final| correcta)? es\s*:?|(?:la )?réponse(?: finale)? est\s*:?"
    r"|(?:die )?(?:endgültige )?antwort (?:ist|lautet)\s*:?|(?:a )?resposta(?: final)? é\s*:?"
    r"|(?:la )?risposta(?: finale)? è\s*:?|ответ\s*(?::|—|-|равен)|jawaban(?:nya)?(?: adalah|:)",
    re.IGNORECASE,
)
_TRIGGERS: tuple[str, ...] = ("answer", "respuesta", "antwort", "resposta", "risposta", "jawaban")
_TRIGGERS += ("答", "답은", "réponse", "ответ")  # ASCII ones first
_MATH_SPAN = re.compile(r"\$\$(.+?)\$\$|(?<!\\)\$([^$\n]+?)\$|\\\(([^\n]+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_SENTENCE_END = re.compile(r"\.\s|\.$|。|,?\s+(?:because|since|as|so|which|where|given|for)\s")
_IS = re.compile(r"\s(?:is|are|was|equals|equal to)\s")
_NUMBER = re.compile(r"(?<![A-Za-z_\d])-?\d[\d,]*(?:\.\d+)?(?:\s*/\s*\d+)?")


def extract_answer(text: str, *, last_number: bool = False) -> tuple[str, str] | None:
    """(answer, how it was found) or None; see the module docstring."""
    if "</think>" in text:
        after = text.rsplit("</think>", 1)[1]
        text = after if after.strip() else text
    boxed = _boxes(text)
    if boxed:
        return boxed, "boxed"
    low = text.lower()
    triggers = _TRIGGERS[:6] if text.isascii() else _TRIGGERS
    starts = [i for i in (low.find(k) for k in triggers) if i >= 0]  # cheap test before the regex
    phrases = list(_PHRASE.finditer(text, max(0, min(starts) - 40))) if starts else []
    for m in reversed(phrases):
        answer = _sentence(text[m.end() :])
        if answer:
            return answer, "phrase"
    matches = [m[1].strip() for m in _GSM8K.finditer(text)]
    if matches and matches[-1]:
        return matches[-1].rstrip(".").strip(), "####"
    if _BOXED.search(text):  # a box cut off: neither the last number nor the last span is the answer
        return None
    if last_number:
        numbers = _NUMBER.findall(text)
        return (numbers[-1].rstrip(","), "last number") if numbers else None
    spans = [next(g for g in m.groups() if g is not None) for m in _MATH_SPAN.finditer(text)]
    spans = [s.strip() for s in spans if s.strip()]
    return (spans[-1], "last maths span") if spans else None


def gold_answer(answer: str) -> str | None:
    """The final answer inside a gold field: after `####`, inside `\\boxed{}`, or all of it.

    Example:
        >>> gold_answer("3 + 4 = 7\\n#### 7"), gold_answer("so $\\\\boxed{7}$"), gold_answer(" 7 ")
        ('7', '7', '7')
    """
    if "####" in answer:
        return answer.rsplit("####", 1)[1].strip()
    if _BOXED.search(answer):
        return _boxes(answer)
    if _PHRASE.search(answer):  # a worked solution ending "the final answer is …"
        found = extract_answer(answer)
        return found[0] if found else None
    return answer.strip()


def _boxes(text: str) -> str | None:
    """The last box's content, joined with the boxes just before it when only `, and` lie between."""
    found: list[tuple[int, int, str]] = []  # (start, end, content), last first
    for m in reversed(list(_BOXED.finditer(text))):
        box = _box_at(text, m.end())
        if box is None:
            continue
        if found and box[0] > found[-1][0]:  # a box around the one read: read the outer one
            found[-1] = (m.start(), box[0], box[1])
            continue
        if found and not _JOIN.fullmatch(text[box[0] : found[-1][0]]):
            break
        found.append((m.start(), box[0], box[1]))
        if len(found) > 20:
            break
    return ", ".join(c for _, _, c in reversed(found)) if found else None


def _box_at(text: str, i: int) -> tuple[int, str] | None:
    """(end, content) of the box argument starting at text[i], or None if it never closes."""
    if text.startswith("{", i):
        depth = 0
        for j in range(i, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return j + 1, text[i + 1 : j].strip()
        return None
    token = re.match(r"[ \t]+([^\s$]+)", text[i:])
    return (i + token.end(), token[1]) if token else None


def _sentence(rest: str) -> str | None:
    """The answer after a phrase: a maths span right after it, or what its sentence says it "is"."""
    chunk = rest.lstrip(" \t\n:*")
    if chunk.startswith(("$", "\\[", "\\(")):
        span = _MATH_SPAN.match(chunk[:5000])
        if span:
            return next(g for g in span.groups() if g is not None).strip()
    line = chunk.split("\n", 1)[0]
    sentence = _SENTENCE_END.split(line.strip(), maxsplit=1)[0]
    tail = _IS.split(sentence)[-1]  # "the volume of $V$ is 120" → "120"
    span = _MATH_SPAN.search(tail)
    if span:
        return next(g for g in span.groups() if g is not None).strip()
    numbers = _NUMBER.findall(tail)
    if len(tail.split()) >= 4 and len(numbers) == 1:  # "Jane started it 3 hours ago" → 3
        return numbers[0].rstrip(",")
    return tail.strip().strip("*").strip() or None
