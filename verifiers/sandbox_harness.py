"""The program that runs inside the jail, and the plain-data codec shared with the verifier.

This file is copied into every jail and started as a script with the jail's own Python (stdlib
only, Python 3.8+ syntax, no s2s1 imports). It first lowers its resource limits (CPU seconds,
address space, file size, processes, open files, no core files), then runs the candidate in
one of two modes:

- ``stdio``: executes the candidate file as ``__main__`` with the real stdin/stdout; the
  verifier compares what it printed.
- ``function``: keeps private copies of stdin/stdout for a line protocol, points fds 0 and 1 at
  /dev/null, executes the candidate file once (``__name__ == "solution"``), then answers
  requests ``{"name": ..., "args": [...], "kwargs": [...]}`` one line at a time with
  ``{"ok": <value>}`` or ``{"error": "..."}``. Values cross as plain data only (`encode`):
  None, bool, int, float, str, bytes, complex, list, tuple, dict, set, frozenset — exact types,
  so an object with a custom ``__eq__`` cannot come back. A name that is not a top-level function
  is looked up as a method of ``Solution()`` (the LeetCode convention of APPS/LiveCodeBench).

It decides nothing: asserts, expected values and comparisons stay in the verifier
(`s2s1.verifiers.code_function`), which rebuilds returned values with `decode` as genuine builtins.
It is not a security boundary by itself; the jail is (`s2s1.verifiers.sandbox`).

Example:
    >>> decode(encode([1, (2.5, "x"), {3: {4}}, None]))
    [1, (2.5, 'x'), {3: {4}}, None]
"""

from __future__ import annotations

import json
import sys
from typing import Any

MAX_DEPTH = 64


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-ready form of plain data; raises TypeError for anything else (exact types only)."""
    if depth > MAX_DEPTH:
        raise TypeError("value nested too deeply")
    t = type(value)
    if value is None or t is bool or t is int or t is float or t is str:
        return value
    if t is list:
        return [encode(v, depth + 1) for v in value]
    if t is tuple:
        return {"$tuple": [encode(v, depth + 1) for v in value]}
    if t is dict:
        return {"$dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if t is set or t is frozenset:
        return {"$" + t.__name__: [encode(v, depth + 1) for v in value]}
    if t is bytes:
        return {"$bytes": value.hex()}
    if t is complex:
        return {"$complex": [value.real, value.imag]}
    raise TypeError("a " + t.__name__ + " is not plain data")


def decode(data: Any, depth: int = 0) -> Any:
    """The value `encode` described, built from builtins only; raises ValueError on anything else."""
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply")
    t = type(data)
    if data is None or t is bool or t is int or t is float or t is str:
        return data
    if t is list:
        return [decode(v, depth + 1) for v in data]
    if t is not dict or len(data) != 1:
        raise ValueError("malformed value")
    [(tag, body)] = data.items()
    if tag == "$bytes" and type(body) is str:
        return bytes.fromhex(body)
    if type(body) is not list:
        raise ValueError("malformed value")
    if tag == "$complex" and len(body) == 2 and all(type(x) in (int, float) for x in body):
        return complex(body[0], body[1])
    items = [decode(v, depth + 1) for v in body]
    try:
        if tag == "$tuple":
            return tuple(items)
        if tag == "$set":
            return set(items)
        if tag == "$frozenset":
            return frozenset(items)
        if tag == "$dict" and all(type(p) is list and len(p) == 2 for p in items):
            return {k: v for k, v in items}
    except TypeError as e:  # unhashable key or element
        raise ValueError(str(e)) from None
    raise ValueError("malformed value")


def _set_limits(limits: dict) -> None:
    import resource

    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))


def _run_stdio(path: str) -> None:
    code = compile(open(path).read(), "solution.py", "exec")
    sys.argv = ["solution.py"]
    exec(code, {"__name__": "__main__", "__builtins__": __builtins__})


def _serve_functions(path: str) -> None:
    import os

    requests = os.fdopen(os.dup(0), "r")
    replies = os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    namespace: dict = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        exec(compile(open(path).read(), "solution.py", "exec"), namespace)
        load_error = None
    except BaseException as e:  # SystemExit and KeyboardInterrupt too: the candidate failed to load
        load_error = type(e).__name__ + ": " + str(e)[:200]
    for line in requests:
        request = json.loads(line)
        try:
            if load_error is not None:
                raise RuntimeError("the solution failed to load: " + load_error)
            value = _resolve(namespace, request["name"])(
                *decode(request["args"]), **dict(decode(request["kwargs"]))
            )
            reply = {"ok": encode(value)}
        except BaseException as e:
            reply = {"error": type(e).__name__ + ": " + str(e)[:200]}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def _resolve(namespace: dict, name: str) -> Any:
    target = namespace.get(name)
    if callable(target) and not isinstance(target, type):
        return target
    solution = namespace.get("Solution")
    if isinstance(solution, type) and hasattr(solution, name):
        return getattr(solution(), name)
    raise NameError("the solution defines no function " + repr(name))


def main(argv: list) -> None:
    limits, mode, path = json.loads(argv[1]), argv[2], argv[3]
    _set_limits(limits)
    sys.setrecursionlimit(10000)
    if mode == "stdio":
        _run_stdio(path)
    else:
        _serve_functions(path)


if __name__ == "__main__":
    main(sys.argv)
