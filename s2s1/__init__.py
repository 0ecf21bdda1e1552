"""s2s1's shared core: records, config, errors, shard I/O and problem sources.

It imports nothing else of ours; every stage package (generators, verifiers, filters, distill)
and the flows build on it.
"""

__version__ = "0.1.0"
