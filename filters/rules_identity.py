"""First-person remarks about the model itself (issue 17): naming itself or its maker, and its
knowledge cutoff or lack of live data, in en, fr, de, es, pt, it, ru, zh and ja.

Split out of `s2s1.filters.rules_lexicon`, which re-exports both patterns. A first person is
required, so "Claude Monet painted", "Meta's revenue" or "the data is current as of 2021" never
match. This module only holds patterns; `s2s1.filters.checks` applies them.

Example:
    >>> bool(IDENTITY.search("Ich bin Claude, ein Assistent."))
    True
    >>> bool(CUTOFF.search("My knowledge only goes up to 2023."))
    True
    >>> bool(CUTOFF.search("The census data is current as of 2021."))
    False
"""

from __future__ import annotations

import re

__all__ = ["CUTOFF", "IDENTITY"]

_I = re.IGNORECASE | re.MULTILINE

_MODELS = (
    r"(?:ChatGPT|GPT-?\d(?:\.\d)?o?|Claude|Gemini|Gemma|Bard|LLaMA|Llama(?: ?\d(?:\.\d)?)?|Qwen\w*|DeepSeek"
    r"|Mistral|Mixtral|SmolLM\w*|Phi-?\d?|Grok|Copilot|ChatGLM|GLM-?\d?|Kimi|ERNIE|Falcon|Vicuna|OLMo"
    r"|Command R|Tongyi|通义千问|文心一言|智谱清言)"
)
_MAKERS = (
    r"(?:OpenAI|Anthropic|Google(?: DeepMind)?|DeepMind|Meta(?: AI)?|Alibaba(?: Cloud)?|Hugging ?Face"
    r"|Microsoft|Mistral AI|Mistral|DeepSeek|xAI|Baidu|Cohere|Zhipu|Moonshot"
    r"|阿里云|阿里巴巴|百度|智谱|深度求索)"
)
IDENTITY = re.compile(
    r"\b(?:I am|I'm|my name is|this is|je suis|je m'appelle|ich bin|ich heiße|soy|me llamo|sou|sono"
    r"|mi chiamo|меня зовут)\s+(?:an? |un |una |ein |eine )?" + _MODELS + r"\b"
    r"|(?:^|[\s,.!])я\s*(?:—|-)?\s*"
    + _MODELS
    + r"\b|我(?:是|叫)(?:由[^。，,\n]{0,12}(?:开发|训练|创建|打造)的)?"
    + _MODELS
    + r"|\b(?:I|me|my)\b[^.!?\n]{0,60}?\b(?:by|at|from) "
    + _MAKERS
    + r"\b"
    r"|\b" + _MAKERS + r"(?:'s)?\b[^.!?\n]{0,30}?\b(?:trained|built|created|developed|made|designed) me\b"
    r"|\b(?:créée?|développée?|entraînée?|conçue?) par "
    + _MAKERS
    + r"|\bvon "
    + _MAKERS
    + r" (?:entwickelt|trainiert|erstellt)|\b(?:cread[oa]|desarrollad[oa]"
    r"|entrenad[oa]|criad[oa]|treinad[oa]|sviluppat[oa]|addestrat[oa]) (?:por|pela|pelo|da) " + _MAKERS,
    _I,
)

CUTOFF = re.compile(
    r"\b(?:my|mes|mon|ma|mein\w*|mis|mi|meus|minhas|miei|le mie|мо[иейя])\s+(?:\w+\s+)?(?:knowledge|training"
    r"|data|connaissances|données|Wissen\w*|Trainingsdaten|conocimientos?|datos|conhecimentos?|dados"
    r"|conoscenze|dati|знани\w+|данн\w+)\b[^.!?\n]{0,60}?(?:cut-?off|update|until|up to|goes|extends|only"
    r"|\b20\d\d\b|s'arrêt|jusqu|\bbis\b|reicht|hasta|llega|\baté\b|\bfino\b|\bдо\b|limit)"
    r"|\b(?:up to|as of|since|after|at the time of) my (?:\w+ )?(?:cut-?off|last update|training)"
    r"|\bmy (?:information|knowledge|data) (?:is |was )?(?:only )?(?:current|up[- ]to[- ]date|accurate|valid"
    r"|updated)? ?(?:only )?(?:up to|until|as of|through|till)\b"
    r"|\bI (?:do not|don't|cannot|can't|am unable to|am not able to) (?:check|see|access|retrieve|fetch|get"
    r"|look up|browse) (?:the )?(?:live|real-time|current|latest|up-to-date|today's) (?:prices?|data"
    r"|information|news|events|weather|rates?|scores?|results?|figures|stock)"
    r"|\bI (?:do not|don't|cannot|can't|am unable to)\s+(?:have (?:any )?)?(?:access(?: to)?|browse|search"
    r"|look (?:\w+ )?up)\s+(?:\w+ )?(?:the )?(?:internet|web|online|real-time|live|current)"
    r"|(?:no tengo|je n'ai pas|ich habe keinen?|não tenho|non ho|у меня нет|我没有|我无法)[^.!?。\n]{0,40}?"
    r"(?:tiempo real|temps réel|Echtzeit|tempo real|tempo reale"
    r"|реальном времени|实时|internet|Internet|интернет|互联网)"
    r"|我的(?:训练数据|知识)[^。，\n]{0,4}(?:截至|截止|只到|更新)"
    r"|\bas of my (?:last |latest |most recent )?(?:knowledge|information|data)\b"
    r"|\b(?:beyond|after|past) my (?:knowledge|training)(?: cut-?off| date| data)?\b"
    r"|\bmy (?:information|knowledge|data) (?:may|might|could) (?:be|not be) (?:outdated|out of date|current"
    r"|up to date|up-to-date)|\bI (?:do not|don't) have (?:information|data|details|knowledge) (?:on|about"
    r"|of)"
    r" (?:events|developments|anything|what happened) (?:after|beyond|since|past)"
    r"|\bI (?:cannot|can't|am unable to) provide (?:real-time|live|current|up-to-date) (?:information|data"
    r"|updates)",
    _I,
)
