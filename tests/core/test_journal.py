"""The shard journal: what a killed writer leaves is read back safely (s2s1/journal.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from s2s1.errors import UserError
from s2s1.journal import Journal
from s2s1.records import Problem, Record, Trace

P = Problem(id="p", source="demo", question="1+1?", answer="2")


def rec(i: int, text: str = "x") -> Record:
    return Record(problem=P, trace=Trace(problem_id="p", index=i, teacher="t", prompt=[], response=text))


def test_appended_records_read_back_in_order(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.partial") as j:
        for i in range(3):
            j.append(rec(i))
    assert [r.key for r in Journal(tmp_path / "j.partial").read()] == ["p#0", "p#1", "p#2"]


def test_missing_journal_reads_empty(tmp_path: Path) -> None:
    assert Journal(tmp_path / "none.partial").read() == []


def test_a_line_cut_off_mid_write_is_ignored_then_cut_away(tmp_path: Path) -> None:
    path = tmp_path / "j.partial"
    with Journal(path) as j:
        j.append(rec(0))
    whole = rec(1).model_dump_json()
    with path.open("a") as f:
        f.write(whole[: len(whole) // 2])  # the process died mid-write
    assert [r.key for r in Journal(path).read()] == ["p#0"]
    with Journal(path) as j:  # the next run appends after cutting the torn tail
        j.append(rec(1, "redrawn"))
    back = Journal(path).read()
    assert [(r.key, r.trace.response) for r in back] == [("p#0", "x"), ("p#1", "redrawn")]


def test_a_repeated_key_keeps_its_first_record(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.partial") as j:
        j.append(rec(0, "first"))
        j.append(rec(0, "second"))
    assert [r.trace.response for r in Journal(tmp_path / "j.partial").read()] == ["first"]


def test_a_bad_whole_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "j.partial"
    path.write_text(rec(0).model_dump_json() + "\n" + '{"problem": 1}\n')
    with pytest.raises(UserError, match=r"j\.partial:2: .*delete the file"):
        Journal(path).read()


def test_remove_deletes_the_file(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.partial")
    j.append(rec(0))
    j.remove()
    assert not (tmp_path / "j.partial").exists()
