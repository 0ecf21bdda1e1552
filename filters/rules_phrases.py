"""The phrase rules: boilerplate, refusals, model identity, knowledge cutoff, leaked template tokens,
role turns, and one soft score (an apology). Code left out has its own rules
(`s2s1.filters.rules_code`).
A rule's `asked` names the prompt requests under which its hit is what was asked for (a dialogue's
role turns, an apology email's "sorry", a config's `# ...`): then it only scores.

Phrasings are anchored where they really occur (the start of the answer or of a sentence, a first
person speaking), never bare topic words: a maths answer about the "bias" of an estimator passes.
The examples grow with every miss found on held-out text (issue 17). This module does not apply
the rules (`s2s1.filters.rules` does) and does not judge content against a constitution.

Example:
    >>> [r.id for r in PHRASE_RULES if r.severity == "score"]
    ['apology']
"""

from __future__ import annotations

from s2s1.filters import checks, rules_leaks, rules_refusal
from s2s1.filters.rules_types import OK, Rule

__all__ = ["PHRASE_RULES"]

PHRASE_RULES: list[Rule] = [
    Rule(
        "boilerplate",
        "drop",
        "prose",
        "teacher boilerplate addressed to the user",
        rules_refusal.boilerplate,
        triggers=[
            "As an AI language model, I think \\boxed{2}.",
            "Sure. I'm just an AI, but \\boxed{2}.",
            "x = 2, so \\boxed{2}. I hope this helps! Let me know if you have any questions.",
            "作为一个人工智能语言模型，我认为答案是 \\boxed{2}。",
            "Como modelo de lenguaje, creo que es \\boxed{2}.",
            "Being an artificial intelligence, I find this easy: \\boxed{3}.",
            "As your friendly AI tutor, let's solve it: \\boxed{6}.",
            "Als KI-Modell kann ich sagen: \\boxed{4}.",
            "En tant qu'IA, je réponds \\boxed{2}.",
            "\\boxed{2}\n\n¡Espero que esto te ayude! No dudes en preguntar.",
            "\\boxed{9}\n\nНадеюсь, это помогло!",
            "As an AI trained to assist, here it is: \\boxed{5}.",
        ],
        passes=[
            "The bias of the estimator is 0, so \\boxed{0}.",
            "Let AI = 3 be the area; \\boxed{3}.",
            "```python\nprint('As an AI language model')\n```\n\\boxed{1}",
            "Call `as_an_ai()` then \\boxed{1}.",
            'The string "As an AI language model" has 23 letters, \\boxed{23}.',
            "As an AI model, GPT-2 has 1.5B parameters, so \\boxed{1.5}.",
            "I am an assistant professor's student; \\boxed{3}.",
            "A chatbot company has 120 employees; a quarter is 30, \\boxed{30}.",
            "Ein KI-Modell braucht 2 s pro Bild, \\boxed{120}.",
            "Un modelo de lenguaje genera 30 tokens, \\boxed{3600}.",
        ],
        asked=("dialogue", "persona"),
    ),
    Rule(
        "refusal",
        "drop",
        "prose",
        "a refusal addressed to the user, or the question dismissed as nonsense",
        rules_refusal.refusal,
        triggers=[
            "I'm sorry, but I can't help with that.",
            "I cannot answer this question.",
            "I can't assist with that request.",
            "Lo siento, pero no puedo ayudar con eso.",
            "抱歉，我无法回答这个问题。",
            "Unfortunately, I am unable to provide that.",
            "I must respectfully decline this request.",
            "Leider kann ich diese Aufgabe nicht lösen.",
            "Je ne peux pas répondre à cette question.",
            "很遗憾，我不能为你解答这个问题。",
            "Я не буду решать эту задачу.",
            "I'd rather you looked this up yourself; I won't go through it.",
            "この質問にはお答えできません。",
            "That is not something I can help with.",
            "This question is nonsensical: colours have no weight.",
            "It is not ethical or appropriate to ask how to break into a house. Please respect others.",
            "It is not appropriate to make assumptions about people by their religion. All are equal.",
            '```json\n{"answer": "I\'m sorry, but I can\'t help with that."}\n```',
        ],
        passes=[
            "I cannot see why not: x = 2, so \\boxed{2}.",
            "I can't help but notice x = 2: \\boxed{2}.",
            "We cannot divide by zero, so x ≠ 0 and \\boxed{1}.",
            "I cannot solve this directly; try x = 2. \\boxed{2}",
            "We cannot divide by 0, so \\boxed{1}.",
            "Ich kann das auch zählen: \\boxed{9}.",
            "注意我们不能只取正根：\\boxed{\\pm 3}",
            "I can't do this in my head, so: 17 × 23 = 391.",
            "Sorry, I misread: 3 × 4 = 12, \\boxed{12}.",
            "Я не могу найти другого решения: \\boxed{7}.",
            "The proof is short. It is not appropriate to divide by zero, so x ≠ 0 and \\boxed{1}.",
            "It is not safe to give chocolate to dogs: theobromine is toxic to them.",
            "It is not legal to drive without insurance in the UK; the fine is up to £300.",
            '```python\nREFUSAL = {"message": "I can\'t help with that."}\n```\nThe bot answers politely.',
        ],
        asked=("dialogue", "persona", "apology", "addressed"),
    ),
    Rule(
        "model_identity",
        "drop",
        "prose",
        "the model names itself or its maker",
        checks.model_identity,
        triggers=[
            "I am ChatGPT, and the answer is \\boxed{2}.",
            "I was trained by OpenAI. \\boxed{2}",
            "I'm Qwen, created by Alibaba Cloud. \\boxed{2}",
            "我是通义千问。答案是 \\boxed{2}。",
            "Ich bin ChatGPT. \\boxed{18}",
            "Soy Claude, y \\boxed{14}.",
            "My developers at Anthropic trained me to show work: \\boxed{8}.",
            "我是由阿里云开发的通义千问。\\boxed{15}",
        ],
        passes=[
            "GPT-3, trained by OpenAI, has 175B parameters: \\boxed{175}.",
            "Claude has 3 apples: \\boxed{3}.",
            "Google's PageRank uses eigenvectors, \\boxed{1}.",
            "Llama herds have 12 animals: \\boxed{12}.",
        ],
        asked=("persona",),
    ),
    Rule(
        "knowledge_cutoff",
        "drop",
        "prose",
        "remarks on the model's knowledge cutoff or lack of browsing",
        rules_leaks.knowledge_cutoff,
        triggers=[
            "As of my last update in 2023, x = 2. \\boxed{2}",
            "My knowledge cutoff is 2021. \\boxed{1}",
            "I don't have real-time information, but \\boxed{3}.",
            "My training data only goes up to 2024; \\boxed{27}.",
            "Rust 1.75 added async traits. As of my last knowledge update, 1.75 is the newest release.",
            "I don't have access to the internet, so \\boxed{42}.",
            "Mes connaissances s'arrêtent en 2023 : \\boxed{29}.",
            "我的训练数据截至2023年，\\boxed{54}。",
        ],
        passes=[
            "The cutoff frequency is 3 kHz, so \\boxed{3}.",
            "As of 2023 the price is 3, \\boxed{3}.",
            "My data set has 20 rows, so \\boxed{20}.",
            "To my knowledge of primes, 7 is prime: \\boxed{7}.",
        ],
        asked=("models",),
    ),
    Rule(
        "template_tokens",
        "drop",
        "prose",
        "chat-template tokens leaked into the text",
        rules_leaks.template_tokens,
        triggers=[
            "\\boxed{1}<|im_end|>",
            "<|im_start|>assistant\n\\boxed{1}",
            "\\boxed{1} [/INST]",
            "\\boxed{1}<｜end▁of▁sentence｜>",
            "\\boxed{1}<end_of_turn>",
            "assistant\nThe answer is \\boxed{1}.",
            "```python\nprint(1)\n```<|eot_id|>",
            'He said "done".<|im_end|>',
        ],
        passes=[
            "\\boxed{1}",
            "a <| b",
            "```python\ntok.eos_token = '<|endoftext|>'\n```\nThat sets the end token. \\boxed{1}",
            "Since 1 < 2 and 3 > 2, \\boxed{1}.",
            "The user enters 5 and the program prints 25: \\boxed{25}.",
        ],
        asked=("template",),
    ),
    Rule(
        "role_turns",
        "drop",
        "prose",
        "a chat role turn the model wrote itself ('User:', '### Response:')",
        checks.role_turns,
        triggers=[
            "\\boxed{1}\nHuman: thanks",
            "\\boxed{5}\n\nUSER: and 9 − 5?\nASSISTANT: 4",
            "\\boxed{2}\n### Human: next",
        ],
        passes=["The user enters 5 and the program prints 25: \\boxed{25}.", "```\nUser: hi\n```\nDone."],
        asked=("dialogue", "persona"),
    ),
    Rule(
        "apology",
        "score",
        "prose",
        "an apology that is not a refusal (soft: scored, not dropped)",
        checks.apology,
        triggers=["Sorry, I misread: 3 × 4 = 12, \\boxed{12}.", "抱歉，我算错了：\\boxed{12}"],
        passes=[OK, "```python\ndef is_sorry(s): return 'sorry' in s\n```"],
        asked=("apology", "dialogue", "persona", "addressed"),
    ),
]
