"""The filter stage: screen verified records and say, for every record, why it was kept or dropped.

`s2s1.filters.stage` builds the configured filters and applies them to a shard; the filters live
in their own modules (verified, rules, decontam, dedup, judge, probe, quality);
`s2s1.filters.rows` runs the rules and the judge on flat JSON-lines rows (`s2s1 filter`).

Example:
    >>> [f.name for f in build_filters(["verified", "rules"])]
    ['verified', 'rules']
"""

from s2s1.filters.rows import filter_rows
from s2s1.filters.stage import (
    Filter,
    ShardFilter,
    build_filters,
    build_judge,
    drop_counts,
    filter_records,
    thinks_aloud,
)

__all__ = [
    "Filter",
    "ShardFilter",
    "build_filters",
    "build_judge",
    "drop_counts",
    "filter_records",
    "filter_rows",
    "thinks_aloud",
]
