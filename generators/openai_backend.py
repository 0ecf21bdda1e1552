"""The OpenAI-compatible server backend: many chat-completion requests in flight, streamed back.

`OpenAIGenerator` talks to any server that speaks `POST {base_url}/chat/completions`: vLLM
(`python -m vllm.entrypoints.openai.api_server`), SGLang, or a hosted API. `complete` sends one
request per sample (`n: 1`, the sample's own `seed` and `max_tokens`), at most `max_concurrency`
at a time, and yields each Completion as soon as its request finishes, so a crash loses only what
was still in flight. The key, if any, comes from the `OPENAI_API_KEY` environment variable.

Continuations: a Request with a `prefix` is sent with the prefix as a final assistant message
and vLLM's `continue_final_message: true, add_generation_prompt: false`, so the server goes on
writing that message. That needs a server that supports the extension (vLLM, SGLang); a hosted
API will reject the fields or start a new message.

Failures: HTTP 429, 5xx, connection errors and timeouts (`timeout_s` per attempt) are retried,
5 attempts in all, with exponential backoff (0.5 s, 1 s, 2 s, 4 s, capped at 30 s, plus jitter)
or the server's `Retry-After` (seconds, capped the same). Other 4xx are not retried. A request
that still fails becomes a Completion with `finish_reason="error"` and a one-line `error` naming
the status or exception and the URL; `complete` never raises for one request (design §3).

Sampling fields beyond the OpenAI API (`top_k`, `min_p`, `repetition_penalty`,
`chat_template_kwargs`) go into the request body only when set; vLLM and SGLang read them, a
hosted API may reject them.

This backend does not start or check the server (constructing it sends nothing), does not fall
back when a server rejects `logprobs`, and does not stream tokens within one request. The event
loop runs only while the caller waits for the next Completion (time the caller spends between
Completions counts towards the timeouts of requests in flight); `complete` must not be called
from inside a running event loop (in a notebook, call it from a thread).
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
from tqdm.auto import tqdm

from s2s1.errors import UserError
from s2s1.generators.backend import Backend, Completion, Request
from s2s1.generators.prompts import SYSTEM_PROMPT, FewShot
from s2s1.records import Sampling

__all__ = ["OpenAIGenerator"]

MAX_ATTEMPTS = 5
"""Attempts per request, the first included."""
BACKOFF_BASE_S = 0.5
"""Wait before the second attempt; doubled for each further one (tests set it to 0)."""
BACKOFF_CAP_S = 30.0
"""Longest wait between attempts, `Retry-After` included."""


class OpenAIGenerator(Backend):
    """Samples teacher traces from an OpenAI-compatible server (see the module docstring).

    Example:
        >>> from s2s1.records import Problem, Sampling
        >>> gen = OpenAIGenerator("embedded", "http://127.0.0.1:8000/v1", max_concurrency=8)
        >>> gen.teacher
        'embedded'
        >>> p = Problem(id="a", source="demo", question="What is $2 + 3$?", answer="5")
        >>> [t.index for t in gen.generate([p], Sampling(n=2, max_tokens=32))]   # doctest: +SKIP
        [1, 0]
    """

    def __init__(
        self,
        model: str,
        base_url: str,
        system_prompt: str = SYSTEM_PROMPT,
        few_shot: FewShot = True,
        max_concurrency: int = 64,
        timeout_s: float = 600.0,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise UserError(
                f"generate.base_url: {base_url!r} is not an http(s) URL; "
                "give the server's API root, e.g. http://127.0.0.1:8000/v1"
            )
        if max_concurrency < 1:
            raise UserError(f"generate.max_concurrency: {max_concurrency} must be 1 or more")
        if timeout_s <= 0:
            raise UserError(f"generate.request_timeout_s: {timeout_s} must be more than 0")
        self.teacher = model
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.system_prompt = system_prompt
        self.few_shot = few_shot
        self.max_concurrency = max_concurrency
        self.timeout_s = timeout_s

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        """One Completion per request, yielded as each finishes; failures are Completions too."""
        if not requests:
            return
        key = os.environ.get("OPENAI_API_KEY")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        loop = asyncio.new_event_loop()
        client = httpx.AsyncClient(
            headers=headers,
            timeout=self.timeout_s,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=self.max_concurrency),
        )
        semaphore = asyncio.Semaphore(self.max_concurrency)  # the bound; an unbounded pool never makes
        # queued requests wait for a connection (that wait would count against their timeout)
        pending = {loop.create_task(self._one(client, semaphore, r, sampling)) for r in requests}
        bar = tqdm(total=len(requests), unit="sample", desc="generate", disable=None)
        try:
            while pending:
                done, pending = loop.run_until_complete(
                    asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                )
                for task in done:
                    bar.update(1)
                    yield task.result()
        finally:
            bar.close()
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(client.aclose())
            loop.close()

    def _body(self, r: Request, sampling: Sampling) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": list(r.messages),
            "max_tokens": r.max_tokens,
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "seed": r.seed,
            "n": 1,
            "logprobs": True,
        }
        body |= sampling.extras()  # vLLM and SGLang take these; sent only when set
        if sampling.chat_template_kwargs:
            body["chat_template_kwargs"] = dict(sampling.chat_template_kwargs)
        if r.stop:
            body["stop"] = list(r.stop)
        if r.prefix:
            body["messages"].append({"role": "assistant", "content": r.prefix})
            body |= {"continue_final_message": True, "add_generation_prompt": False}
        return body

    async def _one(
        self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, r: Request, sampling: Sampling
    ) -> Completion:
        """POST one request, retrying as the module docstring says; never raises."""
        url = f"{self.base_url}/chat/completions"
        body = self._body(r, sampling)
        async with semaphore:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                retry_after = None
                try:
                    resp = await asyncio.wait_for(client.post(url, json=body), self.timeout_s)
                except (httpx.TransportError, TimeoutError) as e:
                    error = f"{type(e).__name__}: {_one_line(str(e)) or f'no answer in {self.timeout_s:g} s'}"
                except Exception as e:  # anything else is not worth retrying
                    return _failed(r, f"POST {url}: {type(e).__name__}: {_one_line(str(e))}")
                else:
                    if resp.is_success:
                        return _parse(r, resp, url)
                    error = f"HTTP {resp.status_code}: {_one_line(resp.text)[:300]}"
                    if resp.status_code != 429 and resp.status_code < 500:
                        break
                    retry_after = resp.headers.get("Retry-After")
                if attempt < MAX_ATTEMPTS:
                    await asyncio.sleep(_delay(attempt, retry_after))
        return _failed(r, f"POST {url}: {error} (attempt {attempt} of {MAX_ATTEMPTS})")


def _delay(attempt: int, retry_after: str | None = None) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based): the server's word, or backoff."""
    if retry_after is not None:
        try:
            return min(max(float(retry_after), 0.0), BACKOFF_CAP_S)
        except ValueError:  # an HTTP date: back off instead
            pass
    return min(BACKOFF_BASE_S * 2 ** (attempt - 1), BACKOFF_CAP_S) + random.uniform(0, BACKOFF_BASE_S)


def _parse(r: Request, resp: httpx.Response, url: str) -> Completion:
    """The Completion in a successful response; an unreadable one is an error Completion."""
    try:
        data = resp.json()
        choice = data["choices"][0]
        message = choice.get("message") or {}
        reason = choice.get("finish_reason")
        if reason in ("error", "abort"):
            return _failed(r, f"POST {url}: the server ended the request with finish_reason {reason!r}")
        tokens = (choice.get("logprobs") or {}).get("content") or []
        return Completion(
            request=r,
            text=message.get("content") or "",
            reasoning=message.get("reasoning_content") or message.get("reasoning") or "",
            num_tokens=int((data.get("usage") or {}).get("completion_tokens") or 0),
            finish_reason="length" if reason == "length" else "stop",
            logprob=sum(float(t["logprob"]) for t in tokens) if tokens else None,
        )
    except Exception as e:
        return _failed(r, f"POST {url}: unreadable response ({type(e).__name__}: {_one_line(str(e))})")


def _failed(r: Request, error: str) -> Completion:
    return Completion(request=r, finish_reason="error", error=error)


def _one_line(text: str) -> str:
    return " ".join(text.split())
