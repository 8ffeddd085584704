"""The corpus tables' columns, in one place (documented in docs/corpus.md)."""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "gongkai.corpus/1"
# Tables written batch by batch, partitioned by year: a directory per year (``2021``; no year:
# ``unknown``), the year a column of every file.  Not hive-style ``year=2021``: with the column
# in the files too, pyarrow's read_table of the directory refuses the two types of ``year``.
PARTITIONED = ("reports", "cells", "issues", "failures")
# Tables rebuilt over the whole corpus at the end of every run (one file each).
DERIVED = ("agencies", "flags")
NULL_PARTITION = "unknown"

REPORTS = pa.schema([
    ("report_id", pa.string()),        # sha256 of the file's bytes, hex: the report's identity
    ("agency", pa.string()),
    ("region_code", pa.string()),      # 行政区划代码 where the source list gives one, else null
    ("year", pa.int32()),
    ("format", pa.string()),           # "2021" | "2019"
    ("source_file", pa.string()),      # path, ``archive.zip!entry`` or URL of the first file seen
    ("source_name", pa.string()),      # the file's own name
    ("size_bytes", pa.int64()),
    ("kind", pa.string()),             # what the reader read: text, html, docx, pdf, doc, json
    ("ocr", pa.bool_()),               # true when the text came from OCR of a scan
    ("reader", pa.string()),           # "gongkai <version>"
    ("issues_error", pa.int32()),
    ("issues_warning", pa.int32()),
    ("issues_info", pa.int32()),
    ("overview", pa.string()),         # sections' text (report JSON "sections")
    ("problems", pa.string()),
    ("other", pa.string()),
])

CELLS = pa.schema([
    ("report_id", pa.string()),
    ("year", pa.int32()),
    ("table", pa.string()),            # proactive | proactive_2019 | applications | appeals
    ("row", pa.string()),              # the report JSON's row key: granted, withheld.state_secret …
    ("column", pa.string()),           # the report JSON's column key: natural_person, total …
    ("value", pa.float64()),           # null when the report does not state the number
    ("null_reason", pa.string()),      # null when value is set; else an issue rule or "unstated"
    ("where", pa.string()),            # table.row.column, as in issues' "where"
    ("label", pa.string()),            # the cell as printed: 表三「予以公开」行「自然人」列
])

ISSUES = pa.schema([
    ("report_id", pa.string()),
    ("year", pa.int32()),
    ("position", pa.int32()),          # the issue's place in the report JSON's "issues" list
    ("rule", pa.string()),
    ("severity", pa.string()),
    ("where", pa.string()),
    ("message", pa.string()),
])

FAILURES = pa.schema([
    ("sha256", pa.string()),           # null when the bytes never arrived (a fetch failed)
    ("year", pa.int32()),              # always null: a failed file has no year
    ("source_file", pa.string()),
    ("error", pa.string()),            # the error's class: UnreadableFile, NotAnnualReport, FetchError …
    ("reason", pa.string()),           # the Chinese reason
])

AGENCIES = pa.schema([
    ("agency", pa.string()),           # the name as the report prints it
    ("agency_key", pa.string()),       # the one name every spelling of this agency maps to
    ("rule", pa.string()),             # which rule of gongkai.corpus.names matched
    ("explanation", pa.string()),      # the rule in Chinese, naming the other spelling
])

FLAGS = pa.schema([
    ("report_id", pa.string()),
    ("year", pa.int32()),
    ("flag", pa.string()),             # balance | same_as_previous_year | zero_total | jump | text_copied …
    ("where", pa.string()),            # the cell (table.row.column) or table the flag is about
    ("value", pa.float64()),
    ("previous_report_id", pa.string()),
    ("previous_value", pa.float64()),
    ("source_file", pa.string()),
    ("message", pa.string()),          # Chinese
    ("other_where", pa.string()),      # text flags: the section of previous_report_id that matches
])

SCHEMAS = {"reports": REPORTS, "cells": CELLS, "issues": ISSUES, "failures": FAILURES,
           "agencies": AGENCIES, "flags": FLAGS}
