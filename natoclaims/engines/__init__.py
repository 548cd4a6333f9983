"""Pure work over records and text, no I/O and no store: search and filters, figures, contradictions,
repeats, quote anchoring and extraction. The core feeds them what it read from the store."""
