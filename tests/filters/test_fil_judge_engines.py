"""The judge's OpenAI-compatible path against a fake HTTP server: what it asks, what it reads."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from s2s1.config import FilterConfig, GenerateConfig, JudgeConfig
from s2s1.constitution import parse_constitution
from s2s1.filters import build_judge
from s2s1.filters.judge import JudgeFilter
from s2s1.filters.judge_engines import answer_tokens
from s2s1.generators.backend import Request
from s2s1.records import Problem, Record, Trace

ONE = (
    "## 1. No self-talk\nForbids: talk about being an AI.\nDoes not apply to: code.\nExample: As an AI, 2.\n"
)


class FakeServerForTests(BaseHTTPRequestHandler):
    """Answers chat completions with top_logprobs: No (it does not follow the principle) when the
    reviewed text says 'As an AI', else Yes."""

    bodies: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeServerForTests.bodies.append(body)
        text = body["messages"][1]["content"].split("<<<", 1)[1]
        p_no = 0.9 if "As an AI" in text else 0.4 if "\nN/A\n" in text else 0.1  # N/A: the leaning
        top = [
            {"token": " Yes", "logprob": math.log(1 - p_no)},
            {"token": " No", "logprob": math.log(p_no)},
        ]
        data = {
            "choices": [{"message": {"content": " Yes"}, "logprobs": {"content": [{"top_logprobs": top}]}}]
        }
        out = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def test_the_openai_path_reads_yes_and_no_from_top_logprobs(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), FakeServerForTests)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/v1"
        teacher = GenerateConfig(backend="openai", model="served", base_url=url)
        judge = build_judge(FilterConfig(), tmp_path / "c.jsonl", teacher)
        judge = JudgeFilter(parse_constitution(ONE), judge.generator, cache=tmp_path / "c.jsonl")
        r = Record(
            problem=Problem(id="p", source="t", question="q"),
            trace=Trace(problem_id="p", index=0, teacher="m", prompt=[], response="As an AI, 2."),
        )
        clean = r.model_copy(update={"trace": r.trace.model_copy(update={"response": "2 + 2 = 4."})})
        bad, good = judge.decide([r, clean])
        assert not bad.keep and good.keep and good.reasons == []
        body = next(b for b in FakeServerForTests.bodies if b["max_tokens"] == 1)
        assert (body["logprobs"], body["top_logprobs"], body["temperature"]) == (True, 20, 0.0)
        assert body["messages"][-1] == {"role": "assistant", "content": "Answer:"}
        assert body["continue_final_message"] is True and body["model"] == "served"
        explain = FakeServerForTests.bodies[-1]  # the flagged pair's quote and reason, after its No
        assert explain["messages"][-1]["content"] == "Answer: No\nQuote:"
    finally:
        server.shutdown()


def test_a_failed_request_gives_no_tokens_and_the_judge_abstains(tmp_path):
    judge = build_judge(
        FilterConfig(judge=JudgeConfig(backend="openai", model="m", base_url="http://127.0.0.1:9/v1")),
        tmp_path / "c.jsonl",
    )
    from s2s1.generators import openai_backend

    openai_backend.BACKOFF_BASE_S, old = 0.0, openai_backend.BACKOFF_BASE_S
    try:
        req = Request(
            problem=Problem(id="x", source="t", question="q"), index=0, messages=[], seed=0, max_tokens=1
        )
        assert answer_tokens(judge.generator, [req]) == [None]
    finally:
        openai_backend.BACKOFF_BASE_S = old
