"""Bytes in and out: JSON, JSONL, CSV and TSV (`writers`, `readers`), ClaimReview, article pages
(`articles`) and fetching them (`web`). No store: the core hands them records and takes records back."""
