"""The plugin's own tests: the s2s1 verifier contract in one call, plus its edge cases."""

from s2s1_regex import RegexVerifier

from s2s1.records import Problem, Trace
from s2s1.verifiers.testing import check_verifier


def _case(pattern, response, expected):
    problem = Problem(id=f"p-{pattern}", source="test", domain="regex", question="?", answer=pattern)
    return problem, Trace(problem_id=problem.id, index=0, teacher="t", prompt=[], response=response), expected


CASES = [
    _case(r"\d{4}-\d{2}-\d{2}", "So the date is\n2024-05-01", "correct"),
    _case(r"\d{4}-\d{2}-\d{2}", "I think \\boxed{2024-05-01} is it.\nDone", "correct"),
    _case(r"\d{4}-\d{2}-\d{2}", "2024-05-01 or so", "incorrect"),
    _case(r"(?i)paris", "\\boxed{PARIS}", "correct"),
    _case(r"(", "anything", "unverifiable"),
    _case(None, "anything", "unverifiable"),
]


def test_regex_verifier_meets_the_contract():
    check_verifier(RegexVerifier, CASES)
