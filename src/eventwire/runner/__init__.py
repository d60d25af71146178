"""runner: the per-document pipeline on more than one process.

- :mod:`eventwire.runner.batch`: ``process_batch(records) -> rows``, the whole
  pipeline for JSON-able records, the unit every engine carries;
- :mod:`eventwire.runner.pool`: ``--workers N`` processes, the model loaded once in
  each, results in input order;
- :mod:`eventwire.runner.ray_data`: the Ray Data runner (``--engine ray``), writing
  Parquet shards;
- :mod:`eventwire.runner.load`: ``eventwire load``, shards into SQLite or PostgreSQL,
  then corpus-wide near-duplicates and clusters.

Engines are imported on use, so ``import eventwire`` never pulls in Ray.
"""
