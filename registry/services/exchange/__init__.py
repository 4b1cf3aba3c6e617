"""Bulk import and lossless export of the registry: JSON for every record and the revision history, CSV for
the practices.

Export writes what the write path reads back: each record is its ``records.snapshot``, which is the
input its kind's schema accepts, plus its stamps (``created_at``, ``updated_at``, ``version``; a practice's
``published_at`` and ``deleted_at``: soft-deleted practices are exported too). The JSON document also
carries every revision. So exporting, importing into an empty database and exporting again gives the
same bytes. Import reads a file, validates every row with the kinds' own schemas (and its stamps with
``StampInput``), checks every slug the rows name, and only then writes through ``records.upsert`` and
``sessions.write_session`` (design.md §1, one write path), all or nothing, inside a SAVEPOINT of the
caller's transaction.

The rules on a registry that is not empty: a record it lacks is created with the file's stamps; one it has is
left unchanged when the row's content is identical (whatever stamps the row carries) and otherwise written
as a new version, stamped now, with the import's revision. An import never deletes nor restores a
practice. The file's revisions are restored only into a registry without history (``history``). API
tokens are never exported.

Nothing here commits, prints or knows of click or HTTP: the CLI and the API call these functions and
own the transaction. Import from the module that does the work; this package re-exports nothing:

- ``formats``: the formats' names, version and licence, and the record kinds in write order;
- ``report``: ``ImportProblem``, ``ImportReport`` and ``ImportRejected``, what an import tells its caller;
- ``stamps``: the stamps a record carries in a file, both directions;
- ``history``: the revisions in the JSON document, exported and restored;
- ``cells``: the CSV conventions both directions share (columns, lists, formula guard, cell values);
- ``json_export`` / ``csv_export``: ``stream_json`` and ``stream_csv``, the documents in chunks (``record_batches``:
  the records of a kind, a batch at a time);
- ``json_import`` / ``csv_import``: a file's text into ``ImportRow``-s, with the problems of its shape;
- ``importing``: validating rows, checking them against the database and writing them, all or nothing
  (``read_import``, ``write_import``, ``import_data``).
"""
