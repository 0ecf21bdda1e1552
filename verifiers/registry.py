"""Find and load verifiers through the entry-point group `s2s1.verifiers`.

Every verifier, s2s1's own included, is declared in its package's `pyproject.toml`:

    [project.entry-points."s2s1.verifiers"]
    myname = "mypkg.mod:MyVerifier"

and becomes usable by name (`verify: verifiers: [myname]` in a config, `s2s1 verify --verifier
myname`) once the package is installed. There is no built-in list: what `importlib.metadata`
reports is what exists. Loading fails loudly, at construction, with the fix in the message: an
unknown name lists what is installed and how to declare a plugin; a broken plugin names its
entry point and the error.

`s2s1.verifiers.scaffold.new_plugin(name, dest)` writes the skeleton of such a package
(`s2s1 verifiers new NAME`): a working exact-match verifier for the domain NAME, its entry point,
and a test that runs the contract check; the tutorial in `docs/plugins.md` starts from it.

This module does not run verifiers (see `s2s1.verifiers.pool`) and does not install anything.

Example:
    >>> {"code", "math"} <= {info.name for info in installed()}
    True
    >>> [v.name for v in load_verifiers(["math"])]
    ['math']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from s2s1.errors import UserError
from s2s1.verifiers.base import Verifier, protocol_problems

__all__ = ["GROUP", "HOW_TO_DECLARE", "VerifierInfo", "installed", "load_verifiers"]

GROUP = "s2s1.verifiers"
HOW_TO_DECLARE = (
    'declare one in your package\'s pyproject.toml as [project.entry-points."s2s1.verifiers"] '
    'myname = "mypkg.mod:MyVerifier" and pip install the package'
)


@dataclass(frozen=True)
class VerifierInfo:
    """One installed verifier, as `s2s1 verifiers list` shows it.

    `version` and `domains` are the verifier class's own; `package` and `package_version` are
    the distribution that declares it. `error` is set (and `version` is "?") when it fails to load.

    Example:
        >>> info = next(i for i in installed() if i.name == "math")
        >>> (info.package, sorted(info.domains))
        ('s2s1', ['math'])
    """

    name: str
    package: str
    version: str
    domains: frozenset[str]
    entry_point: str
    package_version: str = ""
    error: str | None = None


def installed() -> list[VerifierInfo]:
    """Every verifier declared in the `s2s1.verifiers` group, sorted by name; broken ones included.

    Example:
        >>> "math" in {i.name for i in installed()}
        True
    """
    infos = []
    for ep in sorted(_entry_points(), key=lambda e: (e.name, e.value)):
        package, package_version = (ep.dist.name, ep.dist.version) if ep.dist else ("?", "")
        try:
            cls = _load_class(ep)
        except UserError as e:
            infos.append(VerifierInfo(ep.name, package, "?", frozenset(), ep.value, package_version, str(e)))
            continue
        infos.append(
            VerifierInfo(ep.name, package, cls.version, frozenset(cls.domains), ep.value, package_version)
        )
    return infos


def load_verifiers(names: Sequence[str]) -> list[Verifier]:
    """One instance per name (duplicates dropped, order kept); raises UserError on a bad name.

    Example:
        >>> [type(v).__name__ for v in load_verifiers(["math", "code", "math"])]
        ['MathVerifier', 'CodeVerifier']
    """
    if isinstance(names, str):
        names = [names]
    found: dict[str, list[EntryPoint]] = {}
    for ep in _entry_points():
        found.setdefault(ep.name, []).append(ep)
    verifiers: list[Verifier] = []
    for name in dict.fromkeys(names):
        eps = found.get(name, [])
        if not eps:
            have = ", ".join(sorted(found)) or "none"
            raise UserError(f"unknown verifier {name!r} (installed: {have}); to add one, {HOW_TO_DECLARE}")
        if len({ep.value for ep in eps}) > 1:
            where = ", ".join(f"{ep.value} ({ep.dist.name if ep.dist else '?'})" for ep in eps)
            raise UserError(f"verifier {name!r} is declared more than once: {where}; uninstall all but one")
        cls = _load_class(eps[0])
        try:
            verifiers.append(cls())
        except Exception as e:
            raise UserError(
                f"verifier {name!r} ({eps[0].value}) cannot be created: {type(e).__name__}: {e}; "
                "a verifier class needs a constructor without arguments"
            ) from None
    return verifiers


def _entry_points() -> list[EntryPoint]:
    return list(entry_points(group=GROUP))


def _load_class(ep: EntryPoint) -> type[Any]:
    where = f"verifier {ep.name!r} ({ep.value})"
    try:
        obj: Any = ep.load()
    except Exception as e:
        raise UserError(f"{where} failed to load: {type(e).__name__}: {e}; fix or reinstall it") from None
    if not isinstance(obj, type):
        raise UserError(f"{where} is a {type(obj).__name__}, not a class; point the entry point at a class")
    cls: type[Any] = obj
    missing = protocol_problems(cls)
    if missing:
        raise UserError(f"{where} does not meet the Verifier protocol: {', '.join(missing)}")
    if cls.name != ep.name:
        raise UserError(
            f"{where}: its class says name = {cls.name!r}; make the entry-point name and the class's "
            "`name` the same (it keys the verdicts)"
        )
    return cls
