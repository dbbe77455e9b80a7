"""Stage 7, site: many reports → out/, incremental, in parallel, sharded, with the pages around them.

builder.py plans the build (fingerprints, shards), runs the pipeline for each report in a
process pool and writes the files; state.py keeps what each report was built from; pages.py
draws the index, the department pages and the sitemap; files.py writes every file atomically.
"""

from .builder import Builder, Outcome, Preview, SiteResult, build_site, preview, progress_bar, shard_of

__all__ = ["Builder", "Outcome", "Preview", "SiteResult", "build_site", "preview", "progress_bar", "shard_of"]
