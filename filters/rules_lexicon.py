"""Generalising phrase patterns (issue 17): self-description as an AI, chatty closers, refusals
and soft apologies, in en, fr, de, es, pt, it, ru, zh and ja; identity and cutoff remarks are
re-exported from `s2s1.filters.rules_identity` (elided code: `s2s1.filters.code_phrases`).

`s2s1.filters.phrases` holds the first, example-fitted phrasings; these patterns add the shapes
behind them, tuned on the tuning half of `benchmarks/filters/data/generalise.jsonl` only: a
first-person self-description with an AI noun ("as your friendly AI tutor, let's", "ich bin ein
Sprachmodell"), a first-person negative of ability or will with a verb of helping or answering
("leider kann ich das nicht lösen", "我无法完成"), a first person naming a model or its maker.
Bare topic words never match ("an AI model answers 80%", "the bias of a coin", "as a model of
growth we use"). `NO_CAN` alone is too loose to drop a text: `checks.refusal` uses it only on an
answer part with no answer in it. This module only holds patterns.

Example:
    >>> bool(SELF_AI.search("As your friendly AI tutor, let's solve it: x = 6."))
    True
    >>> bool(SELF_AI.search("As an AI model, GPT-2 has 1.5B parameters."))
    False
"""

from __future__ import annotations

import re

from s2s1.filters.rules_identity import CUTOFF, IDENTITY

__all__ = [
    "APOLOGY",
    "CLOSER",
    "CUTOFF",
    "IDENTITY",
    "NO_CAN",
    "OPENING",
    "PREMISE",
    "REFUSAL",
    "SELF_AI",
]

_I = re.IGNORECASE | re.MULTILINE
_W = r"(?:[\w'-]+\s+){0,2}?"  # up to two adjectives: "friendly", "text-based", "large"
_AI = (
    r"(?:AI|A\.I\.|artificial intelligence|(?:large )?language model|LLM|chatbot|bot|computer program"
    r"|program(?! manager| director| officer| coordinator| lead)|piece of software"
    r"|(?:AI|machine[- ]learning|ML|neural[- ]network) (?:model|system|program|tutor|helper|assistant)"
    r"|(?:virtual |digital |AI )?assistant(?! professor| coach| manager| teacher| editor| director))"
)
_ME = r"[^.!?\n]{0,80}?\b(?:I|I'm|me|my|let's|let us)\b"
SELF_AI = re.compile(
    r"\b(?:I am|I'm)\s+(?:(?:just|only|merely|simply|still|but)\s+)*(?:an?|your)\s+" + _W + _AI + r"\b"
    r"|\b(?:as|being|since I am|since I'm|because I am|because I'm)\s+(?:an?|your)\s+"
    + _W
    + _AI
    + r"\b(?!['’]s)"
    + _ME
    + r"|\b(?:as|being) an? "
    + _W
    + _AI
    + r" (?:developed|designed|trained|created|built|made|programmed)\b|\ben tant qu(?:e\s+|['’]\s*)"
    + _W
    + r"(?:IA|intelligence artificielle|assistante?(?: virtuel(?:le)?| IA)?|mod[eè]le de langage|chatbot)\b"
    r"|\bje suis (?:juste |seulement |simplement )?(?:une?|votre) "
    + _W
    + r"(?:IA|intelligence artificielle|assistante?|mod[eè]le de langage|chatbot)\b"
    r"|\bals (?:\w+\s+)?(?:KI|künstliche Intelligenz|KI-\w+|Sprachmodell|Chatbot|virtueller Assistent)\b"
    r"[^.!?\n]{0,80}?\b(?:ich|mich|mir|mein\w*)\b"
    r"|\bich bin (?:nur |bloß |lediglich )?(?:eine?|dein|Ihr)\s+"
    + _W
    + r"(?:KI|künstliche Intelligenz|KI-\w+|Sprachmodell|Chatbot|Assistent)\b"
    r"|\b(?:como|siendo|soy|sou|sendo)\s+(?:una?|tu|su|seu|sua)?\s*"
    + _W
    + r"(?:IA|inteligencia artificial|intelig[eê]ncia artificial|asistente|assistente|modelo de (?:lenguaje"
    r"|linguagem|IA)|chatbot)\b(?! (?:de investigaci|de laborat|social))"
    r"|\b(?:in quanto|essendo|sono)\s+(?:una?|il tuo|la tua)?\s*"
    + _W
    + r"(?:IA|intelligenza artificiale|assistente|modello (?:di|del) linguaggio|modello linguistico)\b"
    r"|(?:\bкак|\bбудучи)\s+(?:\w+\s+)?(?:ИИ|искусственн\w+ интеллект\w*|ИИ-\w+|языков\w+ модел\w+"
    r"|виртуальн\w+ ассистент\w*|чат-бот\w*)[^.!?\n]{0,80}?(?:\bя\b|\bмне\b|\bмой\b)"
    r"|\bя\s*(?:—|-)?\s*(?:всего лишь |лишь |просто )?(?:ИИ|языков\w+ модел\w+|искусственн\w+ интеллект)"
    r"|作为(?:一个|一名|一位)?(?:AI|人工智能|语言模型|智能|聊天机器人)"
    r"|我(?:只)?是(?:一个|一名)?(?:AI|人工智能|语言模型|智能助手|聊天机器人)"
    r"|(?:AI|人工知能)(?:アシスタント|言語モデル|モデル)?として|私は(?:AI|人工知能|言語モデル)",
    _I,
)

_TO_OTHERS = (
    r"(?!\s+(?:to\s+(?!me\b|us\b)|for\s+(?:professional|emotional|medical|legal|mental)\b|(?:your|a|an|the"
    r"|local|professionals?|emergency|trusted|friends|family|them|him|her|others|someone|people)\b))"
)
"""After "don't hesitate to reach out": advice to contact someone else ("... to a counselor", "...
for professional support") is content, not a closer addressed to the user."""

CLOSER = re.compile(
    r"\b(?:I )?hope (?:this|that|it|my (?:answer|explanation))(?: \w+){0,2} (?:helps|helped|was helpful"
    r"|is helpful|clarifies|makes sense)|\bdon't hesitate to (?:ask|reach out|contact)"
    + _TO_OTHERS
    + r"|\b(?:I'm|I am) (?:always )?(?:here|available) (?:for you|to help|if you need)"
    r"|\bhave a (?:great|wonderful|nice|good|lovely) day\b|\b(?:more than |very |always )?happy to help"
    r"|\bglad (?:you asked|to help)|\bif you have (?:any )?(?:more|other|further|additional) \w*\s?questions"
    r"|\bj'espère que (?:cela|ça|ceci) (?:vous |t')?(?:aide|a aidé|aidera)|\bn'h[ée]sitez? pas"
    r"|\bich hoffe,? (?:das|dies|es) (?:hilft|hat geholfen)|\bmelde dich gerne|\bz[öo]gere? nicht"
    r"|\bz[öo]gern Sie nicht|\bbei weiteren Fragen"
    r"|\bespero que (?:esto|esta|eso|isso|isto) (?:te |le )?(?:sea|ayude|haya|ajude)|\bno dudes? en"
    r"|\bnão hesite|\bspero che (?:questo|ciò|ti) (?:ti )?(?:sia|aiuti|abbia)|\bnon esit(?:are|i)\b"
    r"|希望(?:这|以上|我的)[^。！\n]{0,8}(?:有(?:所)?帮助|帮到你)|随时(?:问我|提问|告诉我)"
    r"|如果(?:你)?还有(?:其他|任何)?(?:的)?问题"
    r"|\bнадеюсь,? (?:это|мой ответ) (?:помогл\w*|поможет|был\w* полезн\w*)"
    r"|\bобращайтесь\b|\bне стесняйтесь\b|お役に立て(?:れば|て)|お気軽に",
    _I,
)

_BODY = r"(?!(?: you)? (?:physically|in person|in the physical world)\b)"
"""After "I can't help": a body the model lacks ("I can't help you physically with the car, but
...") is a remark on what it is, not a refusal."""
_VERB = r"(?:help|assist|answer|solve|do|complete|write|provide|fulfil|fulfill|comply|give|share|handle)"
REFUSAL = re.compile(
    r"\bI (?:must |have to |will have to |'ll have to )?(?:respectfully |politely )?(?:decline|refuse)\b"
    r"|\bI(?:'d| would) (?:prefer|rather) not\b|\bI(?:'m| am) not (?:permitted|allowed|going) to\b"
    r"|\b(?:that|this|it)(?: request| question| task| topic)?(?:'s| is) not (?:something|a question|a task"
    r"|a request|a topic) I(?:'m| am)?"
    r" ?(?:able to|can|could|will)\b|\b(?:falls|is|lies) (?:outside"
    r"|beyond) (?:of )?(?:what|the scope of what)"
    r" I(?:'m| am)? ?(?:can|could|am able|'m able|am allowed|'m allowed|am permitted|'m permitted)"
    r"|\bI (?:really |simply |just |unfortunately )?(?:can't|cannot|won't) (?:assist|help(?! but))\b"
    + _BODY
    + r"|\bI won't be "
    + _VERB
    + r"\w*|\b(?:programmed|designed|instructed) (?:not to|to avoid)"
    r"|\bgoes against (?:the |my )?(?:\w+ )?(?:guidelines|rules|policies|principles)"
    r"|\bI(?:'m| am) afraid (?:that )?(?:I|that's|this|it)\b[^.!?\n]{0,40}?\b(?:can't|cannot|not|unable)\b"
    r"|\bje (?:ne (?:peux|pourrai|vais) pas|ne suis pas en mesure|refuse)\b|\bil m'est impossible"
    r"|\b(?:leider )?kann ich (?:\w+ ){0,4}?(?:leider )?nicht(?: \w+){0,2}? "
    r"(?:lösen|helfen|beantworten|machen|tun|behilflich)|\bnicht behilflich"
    r"|\bno (?:puedo|me es posible|podré|voy a)(?: \w+){0,2}? (?:ayudar\w*|resolver|responder|completar|hacer"
    r"|proporcionar|darte)|\bme temo que no (?:puedo|podré)"
    r"|\bnão (?:posso|consigo|poderei|vou)(?: \w+){0,2}? (?:ajudar|resolver|responder|fazer|fornecer)"
    r"|\bnon (?:posso|sono in grado di|riesco a)(?: \w+){0,2}? (?:aiutar\w*|risolvere"
    r"|rispondere|fare|fornire)"
    r"|\bя не (?:могу|буду|в состоянии|стану)(?: \w+){0,2}? (?:помочь|ответить|решать|решить|выполнить"
    r"|сделать|дать)|\bне в состоянии помочь"
    r"|我(?:无法|不能|没办法|没有办法|不会)(?:为你|帮你|给你)?(?:解答|回答|完成|帮助|协助|提供|处理)"
    r"|(?:无法|不能|没办法)(?:为你)?(?:回答|完成|解答)|(?:お答え|回答|対応|お手伝い)(?:することは)?できません",
    _I,
)
_IDIOM = (
    r"(?!\s+(?:lie|wait|believe|stress|overstate|emphasi[sz]e|thank|recommend|help but|go wrong|beat"
    r"|get enough|say enough|imagine|deny|complain|argue with|promise)\b)"
)
"""After "I can't" / "I won't": an idiom ("I won't lie", "I can't wait", "I can't recommend it
enough") is no refusal."""
NO_CAN = re.compile(
    r"\bI(?:'m| am)? ?(?:can't|cannot|can not|won't|will not|unable|not able|not going to|not allowed"
    r"|not permitted|must decline|decline|refuse|(?:would|'d) (?:rather|prefer) not)\b"
    + _IDIOM
    + r"|\bne (?:peux|pourrai|suis) pas|\b(?:it is|it's|it would be) impossible for me\b|\bm'est impossible\b"
    r"|\bnicht\b"
    r"|\bno (?:puedo|me es posible|voy)"
    r"|\bnão (?:posso|consigo)|\bnon (?:posso|sono in grado)|\bне (?:могу|буду|в состоянии)"
    r"|无法|不能|没办法|できません",
    _I,
)
"""A first-person "cannot/will not" in any covered language: a refusal only where no answer follows."""
PREMISE = re.compile(
    r"\b(?:the|this|your|that) (?:question|query|request|prompt|premise)(?: itself)?"
    r"(?: you(?:'ve| have) asked)?"
    r" (?:is|seems|appears|may be|might be|sounds)(?: to be)? (?:a bit |somewhat |rather |quite )?"
    r"(?:nonsensical|not (?:factually )?(?:coherent|meaningful)|meaningless|absurd|incoherent|illogical"
    r"|unanswerable|not answerable|impossible to answer"
    r"|(?:based on|built on|rooted in) (?:a )?(?:false|flawed|incorrect|faulty|harmful) (?:premise"
    r"|assumption)s?)"
    r"|\b(?:the|this|your) (?:question|premise) (?:does not|doesn't) make (?:any )?sense"
    r"|\bthe premise (?:of|behind|in) (?:your|the|this) (?:question|query) (?:is|seems|appears)(?: to be)?"
    r" (?:false|flawed|incorrect|mistaken|wrong|invalid|faulty)\b"
    r"|\bthere is no (?:logical |factual )?(?:basis|reason) (?:for|to|why) (?:this|the|your) (?:question"
    r"|premise)",
    _I,
)
"""The question dismissed as nonsense instead of answered ("this question is nonsensical")."""
OPENING = re.compile(
    r"\W*(?:no,\s*)?(?:it(?: is|'s) not (?:\w+ or )?(?:ethical|appropriate|acceptable)"
    r"(?: or (?:ethical|appropriate|legal|safe|respectful))? (?:for me )?to (?:ask|discuss|provide|promote"
    r"|help|assist|spread|suggest|engage|give (?:advice|instructions|information)|make (?:assumptions|jokes"
    r"|generali[sz]ations|(?:a )?(?:blanket )?statements?))\b"
    r"|I (?:must|have to|need to|feel obligated to) (?:respectfully )?(?:clarify|emphasize|point out|stress"
    r"|remind you)\b[^.!?\n]{0,120}?\b(?:illegal|unethical|not (?:ethical|appropriate|respectful)|harmful"
    r"|inappropriate|offensive|dangerous)"
    r"|I(?:'m| am) (?:deeply |so |very |really )?sorry to hear (?:that )?you(?:'re| are) (?:going through"
    r"|feeling|struggling))",
    _I,
)
"""A first sentence that declines on moral grounds or deflects ("It is not ethical to ..."); read
only at the start of the answer, where it replaces one."""

APOLOGY = re.compile(
    r"\b(?:sorry|apologi[sz]e|désolée?|navrée?|entschuldig\w*|tut mir leid|lo siento|perdón|desculp\w*"
    r"|mi dispiace|scusa|извин\w*|простите)\b|抱歉|对不起|すみません|申し訳",
    _I,
)
"""Soft signal only: an apology, recorded as a score, never a drop ("sorry, I misread: 3 * 4 = 12")."""
