"""Phrase patterns of the rules: boilerplate, refusals, model identity, knowledge cutoff, leaked
chat-template tokens and role turns, in the languages the rules cover (en, es, fr, de, pt, it, ru,
zh, ja). Code left out has its own patterns (`s2s1.filters.code_phrases`).

Boilerplate and refusal phrasings are anchored where they really occur: at the start of a sentence,
optionally after a short opener ("Well,", "Sure!", "Unfortunately,"). They are never bare topic
words, so "the bias of an estimator", "let AI be the area" or "the model predicts" never match.
Identity and cutoff phrasings are first-person ("I am ChatGPT", "my knowledge cutoff"). This module
only holds patterns; `s2s1.filters.checks` decides where to apply them.

Example:
    >>> bool(BOILERPLATE.search("Sure! As an AI language model, I think x = 2."))
    True
    >>> bool(BOILERPLATE.search("The AI model has 7B parameters; as a model of growth we use e^x."))
    False
"""

from __future__ import annotations

import re

__all__ = [
    "BOILERPLATE",
    "CUTOFF",
    "IDENTITY",
    "REFUSAL",
    "ROLE_TURN",
    "TEMPLATE",
]

_I = re.IGNORECASE | re.MULTILINE
_START = r"(?:^|(?<=[.!?:;。！？\n]))[\s*_#>(\-]*"
_OPENER = (
    r"(?:(?:well|sure|okay|ok|of course|certainly|however|but|honestly|also|so|first|note that|"
    r"please note that|unfortunately|alas|again|remember)[,!.]?\s+)?"
)
_AT = _START + _OPENER
_AI = (
    r"(?:AI|A\.I\.|artificial intelligence|(?:large )?language model|LLM|chatbot|"
    r"(?:helpful|virtual|digital|AI) assistant)"
)
_CLOSER = (  # chatty closers and openers addressed to the user: matched wherever they stand in prose
    r"(?:I )?hope (?:this|that|it) helps\b|let me know if y"
    r"ou (?:have|need) any|if you have any (?:more |other |"
    r"further |additional )?questions|feel free to (?:ask|r"
    r"each out|let me know)|I(?:'d| would) be (?:happy|glad|"
    r"delighted) to help|I(?:'m| am) (?:here|happy|glad|always happy) to help|is there anything else I can"
    r"|anything else I (?:can|could) help|let me know if (?:there's|there is) anything"
    r"|happy (?:learning|coding|calculating)!|(?:happy|glad) to assist"
    r"|thank(?:s| you) for (?:your|the|this) (?:question|query)"
    r"|good luck with your|let me know if you(?:'d| would) like"
)

_BOILERPLATE_BODY = (
    r"(?:as an? (?:responsible |ethical |helpful |honest )?(?:AI language model|AI assistant)\s*,"
    r"|(?:as|being) an? (?:responsible |ethical |helpful |honest )?"
    + _AI
    + r"(?: language model| assistant| model)?\b[^.!?\n]{0,80}?\b(?:I|my|me)\b"
    r"|(?:I am|I'm) (?:just |only |merely |simply )?an? (?:responsible |helpful )?" + _AI + r"\b"
    r"|I (?:do not|don't) have (?:personal )?(?:opinions|feelings|emotions|beliefs|experiences|consciousness)"
    r"|great question\b|what a (?:great|good|wonderful) question"
    r"|como (?:un |una )?(?:modelo de (?:lenguaje|IA)|IA|inteligencia artificial"
    r"|asistente (?:de IA|virtual))\b"
    r"|soy una? (?:modelo de lenguaje|IA|inteligencia artificial|asistente (?:de IA|virtual))\b"
    r"|je suis une? (?:IA|intelligence artificielle|assistant (?:IA|virtuel)|mod[eè]le de langage)\b"
    r"|ich bin (?:eine? )?(?:KI|künstliche Intelligenz|(?:KI-)?Sprachmodell|KI-Assistent)\b"
    r"|я\s*(?:—|-)?\s*(?:языковая модель|ии|искусственный интеллект|ии-ассистент)"
    r"|como (?:um )?modelo de linguagem|en tant qu(?:e |')"
    r"(?:IA|intelligence artificielle|mod[eè]le de langage)"
    r"|als (?:KI|künstliche Intelligenz|(?:KI-)?Sprachmodell"
    r")\b|come (?:un )?(?:modello (?:di|del) linguaggio|IA)\b"
    r"|как (?:языковая модель|ии|искусственный интеллект)"
    r"|作为(?:一个|一名)?(?:AI|人工智能|语言模型)|我(?:只)?是(?:一个)?(?:AI|人工智能)(?:语言模型|助手|模型)?"
    r"|AI(?:言語)?モデルとして|私はAI)"
)
BOILERPLATE = re.compile(_CLOSER + "|" + _AT + _BOILERPLATE_BODY, _I)

_CANT = (
    r"I(?: can(?:not|'t)| won't| will not| am unable to|'m unable to| am not able to|'m not able to|"
    r"(?: won't| will not) be able to|'m not going to| am not going to|"
    r" must decline to| am not allowed to|'m not allowed to)"
)
_REFUSAL_BODY = (
    r"(?:(?:I(?:'m| am) (?:sorry|afraid)|I apologi[sz]e|sorry|(?:my )?apologies)[^.!?\n]{0,40}?\b(?:but )?"
    + _CANT
    + r"|"
    + _CANT
    + r" (?:help|assist|comply|fulfill|fulfil|engage|support|participate)\b"
    r"(?! but|(?: you)? (?:physically|in person|in the physical world)\b)"  # a body it lacks
    r"|" + _CANT + r" (?:provide|answer|solve|do|complete|write|create|generate|give|share|discuss)"
    r" (?:that|this|it|such|your|these|those|the requested"
    r"|any|code for you|(?:an? |the )?(?:answer|solution|response|assistance|help)s?)\b"
    r"(?! (?:directly|yet|by|without|using|in|with))"
    r"|I must (?:decline|refuse)|(?:that|this) (?:request )?(?:goes against|violates) my"
    r"|it (?:is|would be) (?:not appropriate|inappropriate|unethical) for me to"
    r"|I (?:do not|don't) feel comfortable|I(?:'m| am) not comfortable"
    r"|not something I (?:can|could) (?:help|assist)"
    r"|I(?:'d| would) rather not (?:answer|help|discuss|provide)|I can not (?:help|assist|answer|provide)"
    r"|I(?:'m| am) not in a position to|against my (?:guidelines"
    r"|policies|policy|programming|principles|rules)"
    r"|I(?:'m| am) (?:programmed|designed) not to|I (?:do not"
    r"|don't) (?:provide|offer) (?:answers|solutions|help)"
    r"|lo siento,? (?:pero )?no (?:puedo|es posible)|no puedo (?:ayudar|responder|proporcionar)"
    r"|(?:je suis )?désolée?,? (?:mais )?je ne (?:peux|suis pa"
    r"s en mesure)|je ne peux pas (?:vous )?(?:aider|répondre)"
    r"|(?:es tut mir leid|entschuldigung),? (?:aber )?ich "
    r"kann|ich kann (?:ihnen |dir )?(?:dabei )?nicht helfen"
    r"|(?:desculpe|sinto muito),? (?:mas )?não posso|mi dispiace,? (?:ma )?non posso"
    r"|(?:извините|к сожалению|простите),? (?:но )?я не могу|я не могу (?:помочь|ответить)"
    r"|(?:很)?(?:抱歉|对不起)[，,]?(?:但)?我(?:无法|不能)|我(?:无法|不能)(?:帮助|协助|提供|回答)"
    r"|申し訳(?:ありません|ございません)が)"
)
REFUSAL = re.compile(_AT + _REFUSAL_BODY, _I)

_MODELS = (
    r"(?:ChatGPT|GPT-?\d(?:\.\d)?o?|Claude|Gemini|Bard|LLaMA|Llama|Qwen|DeepSeek|Mistral|SmolLM\w*|"
    r"Phi-?\d?|Grok|Copilot|Tongyi|通义千问|文心一言)"
)
_MAKERS = (
    r"(?:OpenAI|Anthropic|Google|DeepMind|Meta|Alibaba|Hugging ?Face|Microsoft|Mistral|DeepSeek|xAI|Baidu)"
)
_IDENTITY_NAMED = r"\b(?:I am|I'm|my name is|I was (?:called|named))\s+(?:an? )?" + _MODELS + r"\b"
_IDENTITY_AS = r"as " + _MODELS + r"\b,"
_IDENTITY_REST = (
    r"\bI (?:was|am|have been|'ve been)\s+(?:\w+\s+){0,3}?(?:trained|developed|created|built|made|designed)"
    r" by " + _MAKERS + r"|(?:I am|I'm|as) an? (?:large )?(?:AI|language model|ass"
    r"istant|AI assistant)[^.!?\n]{0,40}?(?:trained|developed|"
    r"created|built|made) by "
    + _MAKERS
    + r"|我是"
    + _MODELS
    + r"|由"
    + _MAKERS
    + r"(?:公司)?(?:开发|训练|创建)的"
)
IDENTITY = re.compile(_IDENTITY_NAMED + "|" + _START + _IDENTITY_AS + "|" + _IDENTITY_REST, _I)

# The same phrasings split for `s2s1.filters.checks_sample.find_opening`, which applies `_START` in
# linear time (a regex `_START` re-scans a long blank run, e.g. a masked code block, from every line).
JUNK_RUN = re.compile(r"[\s*_#>(\-]*")
"""What `_START` skips before a phrase."""
CLOSER_ANYWHERE = re.compile(_CLOSER, _I)
BOILERPLATE_OPENS = re.compile(_OPENER + _BOILERPLATE_BODY, _I)
REFUSAL_OPENS = re.compile(_OPENER + _REFUSAL_BODY, _I)
IDENTITY_OPENS = re.compile(_IDENTITY_AS, _I)
IDENTITY_ANYWHERE = re.compile(_IDENTITY_NAMED + "|" + _IDENTITY_REST, _I)

CUTOFF = re.compile(
    r"\bmy (?:knowledge|training)(?: data)? ?(?:cut-?off|cutoff date|is (?:only )?current|"
    r"(?:only )?(?:goes|extends|runs) (?:up )?(?:to|until))"
    r"|\b(?:based on |according to |from )?my (?:training data|knowledge base|training corpus)\b"
    r"|\b(?:since|after) my (?:last )?(?:training|update)\b"
    r"|\bknowledge cut-?off\b|\bas of my (?:last |latest |most re"
    r"cent )?(?:knowledge |training )?(?:update|cut-?off|training)"
    r"|\bI (?:do not|don't) have (?:access to )?(?:real-time"
    r"|current|up-to-date|live) (?:information|data|internet)"
    r"|\bI (?:cannot|can't|am unable to|don't have the abil"
    r"ity to) (?:browse|access|search) the (?:internet|web)"
    r"|我的知识(?:截止|更新)|截至我的(?:训练|知识)",
    _I,
)

TEMPLATE = re.compile(
    r"<\|[A-Za-z_][\w\-]*\|>|<｜[^｜>\n]{1,40}｜>|\[/?INST\]|<</?SYS>>|</?s>|<(?:start|end)_of_turn>"
    r"|<(?:bos|eos|pad|unk)>|\A\s*(?:assistant|user|system|model)[ \t]*:?[ \t]*\n"
    r"|(?<=[.!?])(?:assistant|user)[ \t]*\n",
    re.MULTILINE,
)
"""Special tokens of chat templates, a bare role name opening the text, and one glued to the end of
a sentence where its header tokens were stripped ("... is 391.assistant")."""
ROLE_TURN = re.compile(
    r"^[ \t]*(?:#{1,3}[ \t]*)?(?:Human|Assistant|HUMAN|ASSISTANT|User|USER)[ \t]*:"
    r"|^#{2,3}[ \t]*(?:Instruction|Response|Input)[ \t]*:",
    re.MULTILINE,
)
"""A chat role turn ("User:", "### Response:"): the model wrote the next turn itself."""
