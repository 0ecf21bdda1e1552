"""Find the final answer in a model's text: boxes, "the final answer is", `####`, last number.

`extract_answer(text)` looks only after the last `</think>` (when that leaves anything) and tries,
in order, and returns the first that is found, with how it was found:

1. `boxed`: the last complete `\\boxed{…}` / `\\fbox{…}` (nested braces; escaped `\\{ \\}` do not
   count; `\\boxed 5` too). Boxes that end the text together, joined only by commas, "and"/"or",
   `\\quad`, `\\text{and}` or `x =` (`x=\\boxed{3},\\quad y=\\boxed{4}`), are read together as one
   list, unless they all hold the same answer without labels (`\\boxed{3} and \\boxed{3}` is `3`).
   Different boxes split by a sentence end (`\\boxed{4}. \\boxed{3}`) are a correction, not a
   list: with `boxes="last"` (the default) the last one is the answer, as hendrycks/math,
   Qwen2.5-Math and DeepSeek-Math's harnesses read any two boxes, so a gold that matches only
   the first is incorrect; `boxes="all"` reads them as
   one list (math-verify reads every box of a text into one set). Labelled boxes
   (`a = \\boxed{6}. b = \\boxed{7}`) are a list either way.
   An earlier box with words after it is a draft and is ignored: of `\\boxed{3} … so the answer
   is \\boxed{4}` the last box, 4, is the answer, as hendrycks/math's `last_boxed_only_string` and
   Qwen2.5-Math's `extract_answer` read it. A "final answer is …" (or "Final Answer: …") after
   the last box is the answer instead: the boxes were steps.
2. `phrase`: the last "the final answer is …", "answer: …", "the correct option is …", or the
   same in Chinese, Spanish, French, German, Portuguese, Italian, Russian, Japanese, Korean,
   Indonesian, Dutch, Vietnamese, Polish or Turkish: a maths span right after it, or else its
   sentence from the last "is" on ("Final answer: the area of $S$ is 64." → `64`), or the maths
   span in that part, or its one number when the rest of that part is words ("donc 42 pommes").
   A phrase whose answer is LaTeX that cannot be read (`$\\sum_{k=0}^n\\bigl(k\\bigr)$`) gives way
   to steps 3 and 4, and is returned only when they find nothing.
3. `####`: the last GSM8K-style `#### n`.
4. the fallback of `s2s1.verifiers.math_fallback`: `last number` with `last_number=True`, the
   letter a text opens with or its last "option C" with `choice=True`, otherwise `last maths
   span` (or `last sentence`: "The derivative is 2x."); unreadable spans are passed over. None
   when the text holds a `\\boxed{` that never closes (a cut-off answer).

`gold_answer` reduces a gold field the same way (`… #### 72`, a MATH solution's `\\boxed{}`; a
short gold of several boxes, `\\boxed{1} cats and \\boxed{2} dogs`, is all of them, and the same
answer boxed twice, or a box inside a box, is that answer once).
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

from s2s1.verifiers.math_fallback import MATH_SPAN, NUMBER, fallback, span_content, unreadable

__all__ = ["extract_answer", "gold_answer"]

_BOXED = re.compile(r"\\(?:boxed|fbox)\b")
_SEPARATOR = r"(?:\s|[,;.&$]|and\b|or\b|\\quad|\\qquad|\\[,;: ()]|\\text\{\s*(?:and|or|,)?\s*\})"
_JOIN = re.compile(rf"{_SEPARATOR}*(?:[a-zA-Z](?:_\w+)?\s*=\s*)?")
_FINAL = re.compile(r"final answer\s*(?:is|:)\s*:?", re.IGNORECASE)
_GSM8K = re.compile(r"####[ \t]*([^\n]*)")
_PHRASE = re.compile(
    r"(?:final answer|the answer|answer)\s*(?:is|:|=)\s*:?|\banswer\s*(?=\$|\\\[|\\\()"
    r"|(?:correct|right) (?:option|choice) is\s*:?"
    r"|答案(?:是|为|為|：|:)|最终答案(?:是|为|：|:)|答えは|정답은|답은"
    r"|(?:la )?respuesta(?: final| correcta)?(?: es|\s*:)\s*:?|(?:la )?réponse(?: finale)?(?: est|\s*:)\s*:?"
    r"|(?:die )?(?:endgültige )?antwort (?:ist|lautet)\s*:?|(?:a )?resposta(?: final)? é\s*:?"
    r"|(?:la )?risposta(?: finale)? è\s*:?|ответ\s*(?::|—|-|равен)|jawaban(?:nya)?(?: adalah|:)"
    r"|(?:het )?antwoord (?:is|:)|đáp án(?: là|\s*:)|odpowied[źz]\s*(?:to|:)|cevap\s*:",
    re.IGNORECASE,
)
_TRIGGERS: tuple[str, ...] = ("answer", "respuesta", "antwort", "resposta", "risposta", "jawaban")
_TRIGGERS += ("antwoord", "cevap", "option", "choice", "odpowied")
_N_ASCII = len(_TRIGGERS)
_TRIGGERS += ("答", "답은", "réponse", "ответ", "đáp án")  # ASCII ones first
_SENTENCE_END = re.compile(
    r"\.\s|\.$|。|,?\s+(?:because|since|as|so|which|where|given|for|porque|ya que|car|parce que|puisque"
    r"|weil|denn|perché|poiché|porque|потому что|karena)\s|因为"
)
_MATHS_WORDS = {"pi", "sqrt", "root", "times", "over", "plus", "minus", "squared", "cubed", "to", "or", "and"}
_ASIDE = re.compile(r"\s+\((?=[^()]*[A-Za-z]{2,}\s+[A-Za-z]{2,})[^()$]*\)")
_IS = re.compile(r"\s(?:is|are|was|equals|equal to)\s")


def extract_answer(
    text: str,
    *,
    last_number: bool = False,
    choice: bool = False,
    skip_unreadable: bool = True,
    boxes: str = "last",
) -> tuple[str, str] | None:
    """(answer, how it was found) or None; see the module docstring."""
    if "</think>" in text:
        after = text.rsplit("</think>", 1)[1]
        text = after if after.strip() else text
    boxed = _boxes(text, boxes)
    if boxed:
        later = _final_after_boxes(text)  # `\boxed{255}` in a step, then "Final Answer: … is $10,455$"
        return (later, "phrase") if later else (boxed, "boxed")
    low = text.lower()
    triggers = _TRIGGERS[:_N_ASCII] if text.isascii() else _TRIGGERS
    starts = [i for i in (low.find(k) for k in triggers) if i >= 0]  # cheap test before the regex
    phrases = list(_PHRASE.finditer(text, max(0, min(starts) - 40))) if starts else []
    said = None
    for m in reversed(phrases):
        said = _sentence(text[m.end() :])
        if said:
            break
    if said and not (skip_unreadable and unreadable(said)):
        return said, "phrase"
    matches = [m[1].strip() for m in _GSM8K.finditer(text)]
    if matches and matches[-1]:
        return matches[-1].rstrip(".").strip(), "####"
    if _BOXED.search(text):  # a box cut off: neither the last number nor the last span is the answer
        return None
    mode = "choice" if choice else "last number" if last_number else "last maths span"
    found = fallback(text, mode, skip_unreadable=skip_unreadable)
    return found or ((said, "phrase") if said else None)


def gold_answer(answer: str) -> str | None:
    """The final answer inside a gold field: after `####`, inside `\\boxed{}`, or all of it.

    Example:
        >>> gold_answer("3 + 4 = 7\\n#### 7"), gold_answer("so $\\\\boxed{7}$"), gold_answer(" 7 ")
        ('7', '7', '7')
    """
    if "####" in answer:
        return answer.rsplit("####", 1)[1].strip()
    if _BOXED.search(answer):
        outer: list[tuple[int, int, str]] = []  # (start, end, content) of the boxes not inside one
        for m in _BOXED.finditer(answer):
            if (b := _box_at(answer, m.end())) and not (outer and m.start() < outer[-1][1]):
                outer.append((m.start(), b[0], _unwrap(b[1])))
        edges = [0, *(i for a, b, _ in outer for i in (a, b)), len(answer)]  # the text between them
        between = " ".join(answer[a:b] for a, b in zip(edges[::2], edges[1::2], strict=True))
        rest = re.sub(r"\\[()]|[$.,;]", " ", between)
        if len(outer) > 1 and len(rest.split()) <= 4:  # `\boxed{1} and \boxed{2}`
            contents = [c for _, _, c in outer]
            if len({_same(c) for c in contents}) == 1 and "=" not in rest:
                return contents[0]  # the same answer boxed twice
            return ", ".join(contents)
        last = _boxes(answer)
        return _unwrap(last) if last else None
    if _PHRASE.search(answer):  # a worked solution ending "the final answer is …"
        found = extract_answer(answer)
        return found[0] if found else None
    return answer.strip()


def _boxes(text: str, boxes: str = "last") -> str | None:
    """The last box's content, joined with the boxes just before it when only `, and` lie between
    (with `boxes="last"` not across a sentence end between different unlabelled answers)."""
    found: list[tuple[int, int, str]] = []  # (start, end, content), last first
    for m in reversed(list(_BOXED.finditer(text))):
        box = _box_at(text, m.end())
        if box is None:
            continue
        if found and box[0] > found[-1][0]:  # a box around the one read: read the outer one
            found[-1] = (m.start(), box[0], box[1])
            continue
        gap = text[box[0] : found[-1][0]] if found else ""
        if found and not _JOIN.fullmatch(gap):
            break
        if boxes == "last" and "." in gap and "=" not in gap and _same(box[1]) != _same(found[-1][2]):
            break  # `\boxed{4}. \boxed{3}`: a correction, the last is the answer
        found.append((m.start(), box[0], box[1]))
        if len(found) > 20:
            break
    if not found:
        return None
    contents = [c for _, _, c in reversed(found)]
    labelled = any("=" in text[found[i + 1][1] : found[i][0]] for i in range(len(found) - 1))
    if len({_same(c) for c in contents}) == 1 and not labelled:  # one answer said twice,
        return contents[0]  # `\boxed{3}\n\n\boxed{3}`; `x=\boxed{3}, y=\boxed{3}` is two answers
    return ", ".join(contents)


def _same(content: str) -> str:
    return re.sub(r"\s+", "", content)


def _unwrap(content: str) -> str:
    """`\\boxed{8}` inside a box is `8`."""
    while (m := _BOXED.match(content)) and (b := _box_at(content, m.end())) and b[0] == len(content):
        content = b[1]
    return content


def _final_after_boxes(text: str) -> str | None:
    """The answer of a "final answer is/:" phrase that follows the last box with words between
    (the box was a step), if readable."""
    last = list(_BOXED.finditer(text))[-1]
    box = _box_at(text, last.end())
    phrases = list(_FINAL.finditer(text, last.start()))
    if box is None or not phrases or not re.search(r"[A-Za-z0-9]", text[box[0] : phrases[0].start()]):
        return None  # `\boxed{12 $ and $13}. Final Answer: …` only repeats the box
    said = _sentence(text[phrases[-1].end() :])
    return said if said and not unreadable(said) and not _BOXED.search(said) else None


def _box_at(text: str, i: int) -> tuple[int, str] | None:
    """(end, content) of the box argument starting at text[i], or None if it never closes."""
    if text.startswith("{", i):
        depth, j = 0, i
        while j < len(text):
            if text[j] == "\\":  # `\{` and `\}` are set braces, not the box's
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return j + 1, text[i + 1 : j].strip()
            j += 1
        return None
    token = re.match(r"[ \t]+([^\s$]+)", text[i:])
    return (i + token.end(), token[1]) if token else None


def _sentence(rest: str) -> str | None:
    """The answer after a phrase: a maths span right after it, or what its sentence says it "is"."""
    chunk = rest.lstrip(" \t\n:*").replace("**", "")
    if chunk.startswith(("$", "\\[", "\\(")):
        span = MATH_SPAN.match(chunk[:5000])
        if span:
            return span_content(span)
    line = chunk.split("\n", 1)[0]
    sentence = _SENTENCE_END.split(line.strip(), maxsplit=1)[0]
    sentence = _ASIDE.sub("", sentence)  # "E (the others are smaller)" → "E"
    tail = _IS.split(sentence)[-1]  # "the volume of $V$ is 120" → "120"
    span = MATH_SPAN.search(tail)
    if span:
        return span_content(span)
    numbers = NUMBER.findall(tail)
    if len(numbers) == 1:  # "Jane started it 3 hours ago", "donc 42 pommes" → the number
        words = tail.replace(numbers[0], " ").split()
        if (
            len(words) >= 3
            or words
            and all(w.isalpha() and len(w) > 1 and w not in _MATHS_WORDS for w in words)
        ):
            return numbers[0].rstrip(", \t")
    return tail.strip().strip("*").strip() or None
