"""s2s1's shared core: records, config, errors, shard I/O and problem sources.

The stage packages live in the repository's top-level folders and install as subpackages of this
one (pyproject's `package-dir`): `s2s1.generators` is generators/, `s2s1.verifiers` verifiers/,
and so on for filters, distill, flows and configs. The core modules here import none of them.
"""

__version__ = "0.1.0"
