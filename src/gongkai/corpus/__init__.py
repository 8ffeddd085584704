"""Every published annual report as one data set: batch ingest on Dask → Parquet, questions in DuckDB.

    sources  SOURCE arguments (folder, ZIP, list of paths/URLs) → items with their bytes' sha256
    rows     one batch of items → Arrow tables (reports, cells, issues, failures), read by
             ``gongkai.report.read.read_report``, the reader of ``gongkai report parse``
    store    the output directory: parts partitioned by year, committed batch by batch
    ingest   plan (skip what is stored, count duplicates once), run the batches, write
    names    agency names → one ``agency_key`` per agency, with the rule that matched
    flags    quality flags over the whole corpus
    query    DuckDB views over the Parquet and the named questions

The schema is docs/corpus.md.  Nothing here imports Django; dask, pyarrow and duckdb are
imported where they are used.
"""
