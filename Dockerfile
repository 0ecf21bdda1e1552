# s2s1 on a GPU machine: vLLM's image (CUDA, PyTorch, vLLM) plus s2s1 with the `vllm` extra.
# v0.24 is the newest vLLM that shares an environment with Prefect 3.8.8 (docs/generation.md).
# The install steps are the Makefile's (`make install`), with the image's pip and no CPU
# constraints file: the image's torch is the one vLLM pins. Linted with hadolint (`make lint`).
#   docker build -t s2s1 .
#   docker run --gpus all -v $PWD/runs:/work/runs s2s1 s2s1 run configs/my-experiment.yaml
# No ENTRYPOINT: Prefect's Docker and Kubernetes workers run their own command in the image
# (docs/deploy.md), so the base image's vLLM server entrypoint is cleared.
FROM vllm/vllm-openai:v0.24.0

WORKDIR /work
ENV DO_NOT_TRACK=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    S2S1_HOME=/work/.s2s1

# make only, from the base image's own release; nothing to pin it against (DL3008).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends make \
 && rm -rf /var/lib/apt/lists/*

COPY Makefile pyproject.toml README.md ./
COPY s2s1 s2s1
COPY generators generators
COPY verifiers verifiers
COPY filters filters
COPY distill distill
COPY flows flows
COPY configs configs

RUN make install PIP="pip install --no-cache-dir" PKG=".[vllm]"

ENTRYPOINT []
CMD ["s2s1", "--help"]
