"""Config: defaults, unknown keys named by path, bad YAML named by line, relative paths."""

from pathlib import Path

import pytest

from s2s1.config import Config, load_config
from s2s1.errors import UserError

QUICKSTART = Path(__file__).parents[2] / "configs" / "quickstart.yaml"


def test_quickstart_config_loads():
    cfg = load_config(QUICKSTART)
    assert cfg.name == "quickstart"
    assert cfg.generate.model == "embedded"
    assert cfg.verify.verifiers == ["math"]


def test_unknown_key_is_named_by_its_path(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("generate:\n  sampling:\n    temprature: 0.5\n")
    with pytest.raises(UserError, match=r"c\.yaml: generate\.sampling\.temprature: unknown key"):
        load_config(p)


def test_bad_value_is_named(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("generate:\n  sampling:\n    n: 0\n")
    with pytest.raises(UserError, match=r"generate\.sampling\.n: Input should be greater than or equal to 1"):
        load_config(p)


def test_bad_yaml_names_the_line(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("name: x\ngenerate: [\n")
    with pytest.raises(UserError, match=r"c\.yaml:\d+: not valid YAML"):
        load_config(p)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="cannot read config"):
        load_config(tmp_path / "nope.yaml")


def test_source_needs_exactly_one_of_builtin_or_path(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("problems:\n  sources:\n    - limit: 3\n")
    with pytest.raises(UserError, match="exactly one of `builtin`, `path` or `dataset`"):
        load_config(p)


def test_problem_paths_are_relative_to_the_config_file(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("problems:\n  sources:\n    - path: data/mine.jsonl\n")
    assert load_config(p).problems.sources[0].path == tmp_path / "data" / "mine.jsonl"


def test_defaults_make_a_valid_config():
    assert Config().evaluate.sampling.n >= 1


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parents[2] / "configs").glob("*.yaml")), ids=lambda p: p.name
)
def test_every_shipped_config_loads(path: Path) -> None:
    assert load_config(path).name


def test_set_overrides_are_validated_like_the_file_and_kept(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: sweep\ntrain:\n  epochs: 1\n")
    cfg = load_config(path, ["generate.sampling.n=8", "train.epochs=2", "filter.filters=[verified, rules]"])
    assert (cfg.generate.sampling.n, cfg.train.epochs, cfg.filter.filters) == (8, 2, ["verified", "rules"])
    assert cfg.overrides == ["generate.sampling.n=8", "train.epochs=2", "filter.filters=[verified, rules]"]
    assert load_config(path).train.epochs == 1


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("generate.sampling.nn=8", "--set generate.sampling.nn=8: generate.sampling.nn: unknown key"),
        ("generate.sampling.n=many", "--set generate.sampling.n=many: generate.sampling.n:"),
        ("train.epochs", "expected KEY=VALUE"),
        ("name.x=1", "name is not a section"),
    ],
)
def test_a_bad_override_is_one_line_naming_it(tmp_path, item, expected):
    path = tmp_path / "c.yaml"
    path.write_text("name: sweep\n")
    with pytest.raises(UserError) as e:
        load_config(path, [item])
    assert expected in str(e.value) and "\n" not in str(e.value)


def test_overrides_reach_the_manifest_and_a_bad_one_stops_the_cli(tmp_path):
    from typer.testing import CliRunner

    from s2s1.flows.cli import app
    from s2s1.flows.manifest import build_manifest

    path = tmp_path / "c.yaml"
    path.write_text("name: sweep\nproblems:\n  sources: [{builtin: arithmetic, limit: 2}]\n")
    out = tmp_path / "run"
    bad = CliRunner().invoke(app, ["run", str(path), "--out", str(out), "--set", "train.epochz=2"])
    assert bad.exit_code == 2 and "--set train.epochz=2" in bad.output and not out.exists()
    manifest = build_manifest(load_config(path, ["train.epochs=3"]), ["a"], ["b"])
    assert manifest["overrides"] == ["train.epochs=3"] and manifest["config"]["train"]["epochs"] == 3
