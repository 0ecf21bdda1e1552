"""Phrase patterns of code left out: an elided body ("# ... rest of the code unchanged", "the rest
of the function stays the same"), a placeholder ("# other methods go here", a bare `...` line), a
comment pointing back ("// same as discussed"), code left out "for brevity", a comment standing for
the user's own code ("// your code here", soft) and a TODO (soft).

`ELIDED` holds the first, example-fitted phrasings (issue 13), `ELIDED_SHAPES` the generalising
shapes in nine languages (issue 17); `ELIDED_REF` and `BREVITY` the kinds the held-out real outputs
showed (issue 24). Prose about control flow is no elision: "the rest of the function is not
executed", "the remaining code stays unreached". This module only holds patterns;
`s2s1.filters.checks_code` decides where to apply them.

Example:
    >>> bool(ELIDED.search("The rest of the code remains the same."))
    True
    >>> bool(ELIDED.search("After return, the rest of the code remains unexecuted."))
    False
"""

from __future__ import annotations

import re

__all__ = [
    "BREVITY",
    "ELIDED",
    "ELIDED_LINE",
    "ELIDED_REF",
    "ELIDED_SHAPES",
    "PLACEHOLDER",
    "TODO",
    "YOURS",
]

_I = re.IGNORECASE | re.MULTILINE

_CODE_NOUN = r"(?:code|implementation|functions?|program|methods?|logic|script)"
ELIDED = re.compile(
    r"\b(?:the )?(?:rest|remainder) of (?:the |your |this )?" + _CODE_NOUN + r"\b[^.\n]{0,30}?"
    r"(?:(?:remains?|stays?)\b(?!\s+(?:un(?!changed)|skipped|not\b|never\b))"
    r"|(?:is|are|was|were) (?:the same|unchanged|identical|as before|omitted|not shown)"
    r"|unchanged|as before|(?<!not )(?:the )?same)"
    r"|\b(?:existing|other|remaining|previous) " + _CODE_NOUN + r" (?:remains?|stays?) (?:the same|unchanged)"
    r"|(?:#|//|/\*|<!--|--)[ \t]*(?:\.{2,}|…)[ \t]*\(?(?:rest|remaining|existing|same|previous|"
    r"unchanged|code|implementation)"
    r"|(?:#|//|/\*)[ \t]*(?:rest of|remaining|existing|same as (?:above|before)|unchanged|other)[ \t]+"
    + _CODE_NOUN
    + r"|\b(?:code|implementation|details|body|rest) (?:is )?omitted\b|\bomitted for brevity\b"
    r"|(?:#|//)[ \t]*(?:implement (?:this|me|here)|TODO:?[ \t]*implement)",
    _I,
)
PLACEHOLDER = re.compile(
    r"(?:#|//|/\*|<!--|--)[ \t]*(?:\.{2,}|…)?[ \t]*\(?(?:(?:other|more|additional) \w+(?: \w+)?"
    r" go(?:es)? here|fill in)|(?:#|//|/\*|<!--|--)[ \t]*(?:\.{2,}|…)[ \t]*(?:etc\b|more\b|and so on)"
    r"|^[ \t]*(?:#|//)(?![^\n]*\b(?:nothing|ignor\w*|no-?op|intentional\w*|silent\w*)\b)"
    r"[^\n]*?\bhere\b[^\n]*\n"
    r"[ \t]*(?:pass|\.\.\.|return;?|throw new Error\([^\n]*|raise NotImplementedError\b[^\n]*)[ \t]*$",
    _I | re.MULTILINE,
)
"""A placeholder in code for code left out ("# other methods go here", "// ... more", a stub whose
body is a comment saying the code goes "here" ("# parsing logic here") then `pass`; "# nothing to
do here" is no placeholder)."""
YOURS = re.compile(
    r"(?:#|//|/\*|<!--|--)[ \t]*(?:\.{2,}|…)?[ \t]*\(?(?:(?:add|insert|put|define|implement|include|register)"
    r" )?(?:(?:the )?(?:rest|remainder) of )?(?:your|(?:the )?user'?s) (?:[\w-]+ ){0,3}?"
    r"(?:code|logic|config\w*|settings?|middleware|routes?|handlers?|options|stuff|program|here|app\w*"
    r"|project|setup|files?|\.\w+)",
    _I,
)
"""A placeholder for the user's own code ("// your code here", "# ... rest of your .bashrc", "# add your
routes"): soft."""
ELIDED_LINE = re.compile(r"^[ \t]*(?:\.\.\.|…|#[ \t]*\.\.\.|//[ \t]*\.\.\.)[ \t]*$", re.MULTILINE)
"""A line that is only an ellipsis: elided code when it stands inside a code block."""

ELIDED_SHAPES = re.compile(
    r"(?:#|//|/\*|<!--|--)[ \t]*[\[(]?[ \t]*(?:\.{2,}|…)?[ \t]*(?:same as (?:before|above)|as before"
    r"|unchanged|omitted|(?:implementation )?left as an exercise|keep (?:everything|the rest)"
    r"|(?:the )?(?:rest|remaining|remainder|existing"
    r"|previous)\b[^\n]{0,40}?\b(?:go(?:es)? here|as before"
    r"|unchanged|the same|same|omitted|stays?|remains?)|der Rest|restliche\w*|unverändert|le reste|inchangé"
    r"|el resto|sin cambios|il resto|o resto|остальн\w*|без изменений|其余|省略|不变)"
    r"|\b(?:everything|all) else\b[^.\n]{0,30}?\b(?:stays|remains|is) (?:the same|unchanged|as (?:it was"
    r"|before))|\bleft as an exercise\b|^[ \t]*#[ \t]*(?:TODO"
    r"|FIXME)\b[^\n]*\n(?:[ \t]*#[^\n]*\n)*[ \t]*pass\b",
    _I,
)
"""Elided code: comments that say code is left out, in prose "everything else stays the same"."""
ELIDED_REF = re.compile(
    r"(?:#|//|/\*|<!--|--)[ \t]*[\[(]?[ \t]*(?:\.{2,}|…)?[ \t]*(?:[\w-]+ ){0,3}?"
    r"(?:(?:(?:implemented )?similar(?:ly)?(?: to| as) (?:the )?(?:above|before|previous\w*|earlier"
    r"|one above)|implemented similarly|as (?:discussed|described|shown|mentioned) (?:above|before|earlier"
    r"|previously)|as in the (?:previous|earlier|last|first) (?:answer|example|version|step|snippet"
    r"|response|one))\b|as (?:discussed|mentioned|agreed)\b)"
    r"[^\n]*\n(?:[ \t]*\n)*[ \t]*(?:[})\]]|end\b|pass\b|\.\.\.|return\b|```|\Z)",
    _I,
)
"""In code only: a comment that points back instead of holding the code, right before the block
closes or returns ("// (form fields as discussed)", "/* implementation similar to the above */"
then `}`); "# similar to the above, but for columns" above a loop is no elision."""
BREVITY = re.compile(
    r"\b(?:omit(?:ted)?|left out|leave out|skip(?:ped)?|not (?:shown|included)|elided)\b[^.\n]{0,40}?"
    r"\bfor (?:brevity|the sake of brevity|conciseness|space)\b"
    r"|\bfor (?:brevity|the sake of brevity|conciseness)\W+I(?:'ve| have| will|'ll)? (?:omit(?:ted)?|left out"
    r"|leave out|skip(?:ped)?|not (?:shown|included))\b",
    _I,
)
"""In the prose of a code answer: code left out "for brevity" ("I skipped the boilerplate for brevity")."""
TODO = re.compile(r"(?:#|//|/\*)[ \t]*(?:TODO|FIXME|XXX)\b")
"""Soft signal only: a TODO left in code."""
