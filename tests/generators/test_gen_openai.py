"""OpenAIGenerator against a scripted fake server: bodies sent, replies read, retries, streaming."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import s2s1.generators.openai_backend as ob
from s2s1.errors import UserError
from s2s1.generators.backend import Request
from s2s1.generators.openai_backend import OpenAIGenerator
from s2s1.records import Problem, Sampling

SAMPLING = Sampling(n=1, temperature=0.5, top_p=0.9, max_tokens=64, seed=3)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # many connections at once (the default backlog is 5)


@dataclass
class Reply:
    """One scripted answer of the fake server."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    message: dict[str, Any] = field(default_factory=dict)
    """Merged into the reply's `message` (default content: "echo <question>")."""
    finish_reason: str = "stop"
    wait_s: float = 0.0
    """Sleep this long before answering (cut short when the server stops)."""
    hold: threading.Event | None = None
    """Answer only once this is set (or after 10 s, recorded in `gave_up`)."""


class FakeOpenAIServerForTests:
    """A fake OpenAI-compatible server on 127.0.0.1 (a test double, not a model): it answers
    `POST /v1/chat/completions` with the `Reply`s scripted for the last message's content, one per
    attempt, then with the default reply; it records bodies, headers, call counts and the most
    requests in flight at once."""

    def __init__(self) -> None:
        self.script: dict[str, list[Reply]] = {}
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.calls: Counter[str] = Counter()
        self.in_flight = self.max_in_flight = 0
        self.gave_up = False
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                fake._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        body = json.loads(h.rfile.read(int(h.headers["Content-Length"])))
        key = body["messages"][-1]["content"]
        with self._lock:
            self.bodies.append(body)
            self.headers.append(dict(h.headers))
            script = self.script.get(key, [])
            reply = script[self.calls[key]] if self.calls[key] < len(script) else Reply()
            self.calls[key] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self.stopping.wait(reply.wait_s)
            if reply.hold is not None and not reply.hold.wait(10):
                self.gave_up = True
            if reply.status == 200:
                message = {"role": "assistant", "content": f"echo {key}"} | reply.message
                payload: dict[str, Any] = {
                    "choices": [
                        {
                            "index": 0,
                            "message": message,
                            "finish_reason": reply.finish_reason,
                            "logprobs": {"content": [{"token": "a", "logprob": -0.25}] * 4},
                        }
                    ],
                    "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13},
                }
            else:
                payload = {"error": {"message": f"scripted {reply.status}"}}
            data = json.dumps(payload).encode()
            h.send_response(reply.status)
            for name, value in reply.headers.items():
                h.send_header(name, value)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:  # the client gave up (timeout test)
            pass
        finally:
            with self._lock:
                self.in_flight -= 1


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ob, "BACKOFF_BASE_S", 0.0)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServerForTests]:
    fake = FakeOpenAIServerForTests()
    yield fake
    fake.stop()


def req(question: str, **fields: Any) -> Request:
    p = Problem(id=question, source="t", question=question, answer="1")
    messages = [{"role": "user", "content": question}]
    return Request(problem=p, index=0, messages=messages, seed=7, max_tokens=16, **fields)


def run(server: FakeOpenAIServerForTests, *requests: Request, **options: Any) -> dict[str, Any]:
    gen = OpenAIGenerator("m", server.url, **options)
    return {c.request.problem.id: c for c in gen.complete(list(requests), SAMPLING)}


def test_body_sent_and_reply_read(server: FakeOpenAIServerForTests, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    c = run(server, req("q", stop=("\n\n",)))["q"]
    assert (c.text, c.num_tokens, c.finish_reason, c.error, c.logprob) == ("echo q", 4, "stop", "", -1.0)
    (body,) = server.bodies
    assert body == {
        "model": "m",
        "messages": [{"role": "user", "content": "q"}],
        "max_tokens": 16,
        "temperature": 0.5,
        "top_p": 0.9,
        "seed": 7,
        "n": 1,
        "logprobs": True,
        "stop": ["\n\n"],
    }
    assert server.headers[0]["Authorization"] == "Bearer sk-test"


def test_no_key_no_authorization_header(server: FakeOpenAIServerForTests) -> None:
    run(server, req("q"))
    assert "Authorization" not in server.headers[0]


def test_prefix_continues_the_assistant_message(server: FakeOpenAIServerForTests) -> None:
    c = run(server, req("q", prefix="Step 1:"))["q"]
    (body,) = server.bodies
    assert body["messages"][-1] == {"role": "assistant", "content": "Step 1:"}
    assert body["continue_final_message"] is True and body["add_generation_prompt"] is False
    assert c.finish_reason == "stop" and c.text == "echo Step 1:"


def test_reasoning_fields_and_length(server: FakeOpenAIServerForTests) -> None:
    server.script["a"] = [Reply(message={"reasoning_content": "think a"}, finish_reason="length")]
    server.script["b"] = [Reply(message={"reasoning": "think b", "content": None})]
    server.script["c"] = [Reply(finish_reason="abort")]
    out = run(server, req("a"), req("b"), req("c"))
    assert (out["a"].reasoning, out["a"].finish_reason) == ("think a", "length")
    assert (out["b"].reasoning, out["b"].text, out["b"].finish_reason) == ("think b", "", "stop")
    assert out["c"].finish_reason == "error" and "abort" in out["c"].error


def test_retries_429_and_5xx_then_succeeds(server: FakeOpenAIServerForTests) -> None:
    server.script["a"] = [Reply(429, headers={"Retry-After": "0"})]
    server.script["b"] = [Reply(503), Reply(500)]
    out = run(server, req("a"), req("b"))
    assert server.calls == {"a": 2, "b": 3}
    assert all(c.finish_reason == "stop" and c.text for c in out.values())


def test_400_is_not_retried(server: FakeOpenAIServerForTests) -> None:
    server.script["a"] = [Reply(400)]
    c = run(server, req("a"))["a"]
    assert server.calls == {"a": 1}
    assert c.finish_reason == "error" and "HTTP 400" in c.error and server.url in c.error
    assert "\n" not in c.error


def test_5xx_every_time_gives_up_after_5_attempts(server: FakeOpenAIServerForTests) -> None:
    server.script["a"] = [Reply(502)] * 9
    c = run(server, req("a"))["a"]
    assert server.calls == {"a": ob.MAX_ATTEMPTS} and ob.MAX_ATTEMPTS == 5
    assert c.finish_reason == "error" and "HTTP 502" in c.error and "attempt 5 of 5" in c.error


def test_slow_reply_times_out_and_is_retried(server: FakeOpenAIServerForTests) -> None:
    server.script["slow"] = [Reply(wait_s=5.0)] * 5
    server.script["late"] = [Reply(wait_s=5.0), Reply(wait_s=5.0)]  # then on time
    out = run(server, req("slow"), req("late"), timeout_s=0.3)
    assert server.calls == {"slow": 5, "late": 3}
    assert out["slow"].finish_reason == "error" and "Timeout" in out["slow"].error
    assert out["late"].finish_reason == "stop"


def test_unreachable_server_is_an_error_per_request() -> None:
    gen = OpenAIGenerator("m", "http://127.0.0.1:9/v1")  # port 9 (discard): nothing listens
    out = list(gen.complete([req("a"), req("b")], SAMPLING))
    assert [c.finish_reason for c in out] == ["error", "error"]
    assert all("ConnectError" in c.error and "127.0.0.1:9" in c.error for c in out)


def test_concurrency_is_bounded(server: FakeOpenAIServerForTests) -> None:
    for i in range(16):
        server.script[f"q{i}"] = [Reply(wait_s=0.05)]
    out = run(server, *(req(f"q{i}") for i in range(16)), max_concurrency=4)
    assert len(out) == 16 and all(c.finish_reason == "stop" for c in out.values())
    assert 1 < server.max_in_flight <= 4


def test_completions_stream_as_they_finish(server: FakeOpenAIServerForTests) -> None:
    release = threading.Event()
    server.script["slow"] = [Reply(hold=release)]
    gen = OpenAIGenerator("m", server.url)
    it = gen.complete([req("slow"), *(req(f"fast{i}") for i in range(5))], SAMPLING)
    fast = [next(it).request.problem.id for _ in range(5)]  # the slow one is still held
    assert sorted(fast) == [f"fast{i}" for i in range(5)] and not server.gave_up
    release.set()
    assert [c.request.problem.id for c in it] == ["slow"]


def test_consumer_stopping_early_cancels_the_rest(server: FakeOpenAIServerForTests) -> None:
    release = threading.Event()
    server.script["slow"] = [Reply(hold=release)]
    it = OpenAIGenerator("m", server.url).complete([req("fast"), req("slow")], SAMPLING)
    assert next(it).request.problem.id == "fast"
    it.close()  # cancels the held request and closes the loop without raising
    release.set()


def test_generate_gives_traces(server: FakeOpenAIServerForTests) -> None:
    p = Problem(id="p", source="t", question="What is $1 + 1$?", answer="2")
    traces = list(OpenAIGenerator("m", server.url).generate([p], Sampling(n=3)))
    assert sorted(t.index for t in traces) == [0, 1, 2]
    assert all(t.teacher == "m" and t.response.startswith("echo") for t in traces)
    assert len({b["seed"] for b in server.bodies}) == 3


def test_construction_sends_nothing_and_checks_options(server: FakeOpenAIServerForTests) -> None:
    OpenAIGenerator("m", server.url)
    assert server.calls == {}
    with pytest.raises(UserError, match="base_url"):
        OpenAIGenerator("m", "127.0.0.1:8000/v1")
    with pytest.raises(UserError, match="max_concurrency"):
        OpenAIGenerator("m", server.url, max_concurrency=0)


def test_backoff_delays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ob, "BACKOFF_BASE_S", 0.5)
    assert [0.5 <= ob._delay(1) <= 1.0, 4.0 <= ob._delay(4) <= 4.5, 30 <= ob._delay(9) <= 30.5] == [True] * 3
    assert (ob._delay(1, "2"), ob._delay(1, "999"), ob._delay(1, "-1")) == (2.0, 30.0, 0.0)
    assert 0.5 <= ob._delay(1, "Wed, 21 Oct 2015 07:28:00 GMT") <= 1.0
