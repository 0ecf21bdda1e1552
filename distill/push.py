"""Push a run's exported dataset and its card to the Hugging Face Hub (`s2s1 push`).

`push_dataset` checks, before it reads or sends anything, that the folder holds an export
(distill/export.py), that the Hub may be reached (`HF_HUB_OFFLINE` unset) and that a token is
there (`HF_TOKEN` or `huggingface-cli login`), then asks the Hub who the token belongs to, which
fails fast on a bad token or no network. It then pushes the `train` split with
`datasets.Dataset.push_to_hub` (parquet under `data/`, as exported) and replaces the README that
call writes with the export's own card (`DatasetCard.push_to_hub`), `configs:` naming `data/train-*`
added. Every failure is one `UserError` line naming the fix.

It does not export (run the export stage first), does not push the student model, and does not
retry: a push cut off between the data and the card leaves the Hub's default card; rerun it.
The Hub endpoint is huggingface_hub's (`HF_ENDPOINT`).

Example:
    >>> push_dataset(Path("runs/quickstart"), "me/s2s1-quickstart", private=True)  # doctest: +SKIP
    'https://huggingface.co/datasets/me/s2s1-quickstart'
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from s2s1.errors import UserError

__all__ = ["push_dataset"]

_NETWORK = {"TransportError", "ConnectionError", "TimeoutError", "TimeoutException", "OfflineModeIsEnabled"}
_LOGIN = "run `huggingface-cli login` (or `hf auth login`) or set HF_TOKEN to a token with write access"


def push_dataset(run_dir: Path, repo_id: str, private: bool = False) -> str:
    """Push `run_dir`/dataset (data and card) to the Hub dataset repo `repo_id`; return its URL."""
    from huggingface_hub import DatasetCard, HfApi, constants, get_token
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    from s2s1.distill.card import DATA_FILES
    from s2s1.distill.export import load_exported

    dataset_dir = Path(run_dir) / "dataset"
    if (
        not sorted((dataset_dir / "data").glob("train-*.parquet"))
        or not (dataset_dir / "README.md").is_file()
    ):
        raise UserError(
            f"{dataset_dir}: no exported dataset (data/train-*.parquet and README.md); "
            "run the export stage first: s2s1 run CONFIG --stages export"
        )
    try:
        validate_repo_id(repo_id)
    except HFValidationError:
        raise UserError(
            f"--repo-id {repo_id!r}: not a Hub repo id; use NAMESPACE/NAME, e.g. me/my-dataset"
        ) from None
    if constants.is_offline_mode():
        raise UserError(
            "push: HF_HUB_OFFLINE is set, so the Hub is not reached; unset it (on a machine with network)"
        )
    token = get_token()
    if not token:
        raise UserError(f"push: no Hugging Face token; {_LOGIN}")
    with _hub_errors(repo_id):
        HfApi(token=token).whoami()  # a bad token or no network fails here, before anything is read
    dataset = load_exported(dataset_dir)
    if len(dataset) == 0:
        raise UserError(f"{dataset_dir}: the export has no rows; nothing to push")
    card = DatasetCard.load(dataset_dir / "README.md")
    card.data.configs = DATA_FILES  # on the Hub only (distill/card.py says why not locally)
    with _hub_errors(repo_id):
        dataset.push_to_hub(repo_id, split="train", private=private, token=token, commit_message="s2s1: data")
        card.push_to_hub(repo_id, token=token, repo_type="dataset", commit_message="s2s1: dataset card")
    return f"{constants.ENDPOINT}/datasets/{repo_id}"


@contextmanager
def _hub_errors(repo_id: str) -> Iterator[None]:
    """Turn the Hub's and the network's exceptions into one UserError line."""
    try:
        yield
    except UserError:
        raise
    except Exception as e:
        raise UserError(_message(e, repo_id)) from None


def _message(error: Exception, repo_id: str) -> str:
    from huggingface_hub import constants
    from huggingface_hub.errors import HfHubHTTPError

    first = (str(error).strip().splitlines() or [type(error).__name__])[0][:160]
    status = getattr(getattr(error, "response", None), "status_code", None)
    if isinstance(error, HfHubHTTPError) and status == 401:
        return f"push: the Hub refused the token (401); {_LOGIN}"
    if isinstance(error, HfHubHTTPError) and status == 403:
        return f"push: no write access to {repo_id} (403); use a token with write access to its namespace"
    if isinstance(error, HfHubHTTPError):
        return f"push: the Hub answered {status} for {repo_id}: {first}"
    if {c.__name__ for c in type(error).__mro__} & _NETWORK:  # httpx, httpx2 or requests alike
        return (
            f"push: network unreachable ({constants.ENDPOINT}: {first}); check the connection or HF_ENDPOINT"
        )
    return f"push: {type(error).__name__}: {first}"
