"""Practice search: a full-text index that the database keeps current

Every language of a practice's title, summary and description, and its lead local government's name, go
into one index row per practice, case- and accent-insensitive. Triggers maintain it, so seeds, API writes
and imports are all searchable with no application code involved. registry/services/search.py queries it.

- SQLite: an FTS5 virtual table (rowid = practice id, tokenizer unicode61 remove_diacritics 2).
- PostgreSQL: a tsvector per practice, GIN-indexed, built with to_tsvector('simple', unaccent(lower(...)))
  ('simple' because the text is multilingual: no language's stemming or stop words would be right).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00.000000
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _downgrade_postgresql()
    else:
        _downgrade_sqlite()


# --- SQLite -------------------------------------------------------------------------------------------------

def _sqlite_flat(document: str) -> str:
    """Every language's text of a multilingual JSON object, as one string (NULL when there is none)."""
    return f"(SELECT group_concat(value, ' ') FROM json_each({document}))"


def _sqlite_row(row: str) -> str:
    """The index row (rowid, title, body, place) of the practice ``row`` (NEW in a trigger, or a table alias)."""
    place = (
        "(SELECT group_concat(n.value, ' ') FROM local_governments AS lg, json_each(lg.name) AS n"
        f" WHERE lg.id = {row}.lead_local_government_id)"
    )
    body = f"coalesce({_sqlite_flat(row + '.summary')}, '') || ' ' || coalesce({_sqlite_flat(row + '.description')}, '')"
    return f"{row}.id, {_sqlite_flat(row + '.title')}, {body}, {place}"


def _upgrade_sqlite() -> None:
    # A regular (not contentless) FTS5 table: it keeps its own copy of the text, so a row can be deleted or
    # replaced by rowid alone. Its shadow tables are practice_search_data, _idx, _content, _docsize, _config.
    op.execute(
        "CREATE VIRTUAL TABLE practice_search USING fts5("
        "title, body, place, tokenize = 'unicode61 remove_diacritics 2')"
    )
    insert_new = f"INSERT INTO practice_search (rowid, title, body, place) VALUES ({_sqlite_row('NEW')});"
    op.execute(f"CREATE TRIGGER practice_search_insert AFTER INSERT ON practices BEGIN {insert_new} END")
    # Only the columns the index reads (and id, the rowid): a status change or a version bump is not reindexed.
    op.execute(
        "CREATE TRIGGER practice_search_update"
        " AFTER UPDATE OF id, title, summary, description, lead_local_government_id ON practices"
        f" BEGIN DELETE FROM practice_search WHERE rowid = OLD.id; {insert_new} END"
    )
    op.execute(
        "CREATE TRIGGER practice_search_delete AFTER DELETE ON practices"
        " BEGIN DELETE FROM practice_search WHERE rowid = OLD.id; END"
    )
    op.execute(
        "CREATE TRIGGER practice_search_place AFTER UPDATE OF name ON local_governments BEGIN"
        f" UPDATE practice_search SET place = {_sqlite_flat('NEW.name')}"
        " WHERE rowid IN (SELECT id FROM practices WHERE lead_local_government_id = NEW.id); END"
    )
    op.execute(f"INSERT INTO practice_search (rowid, title, body, place) SELECT {_sqlite_row('p')} FROM practices AS p")


def _downgrade_sqlite() -> None:
    for trigger in ("practice_search_place", "practice_search_delete", "practice_search_update", "practice_search_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS practice_search")  # drops the FTS5 shadow tables with it


# --- PostgreSQL ---------------------------------------------------------------------------------------------

def _pg_vector(text: str, weight: str) -> str:
    return f"setweight(to_tsvector('simple', unaccent(lower(coalesce({text}, '')))), '{weight}')"


def _pg_flat(document: str) -> str:
    return f"(SELECT string_agg(value, ' ') FROM jsonb_each_text({document}))"


# One definition of a practice's document, used by the triggers and the backfill. Title weighs most (A), then
# summary and description (B), then the lead local government's name (C). unaccent looks its dictionary up
# through search_path, hence SET search_path FROM CURRENT (the path the migration, i.e. the app, runs with).
PG_DOCUMENT_FUNCTION = f"""
CREATE FUNCTION practice_search_document(p_title jsonb, p_summary jsonb, p_description jsonb, p_lead integer)
RETURNS tsvector LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT {_pg_vector(_pg_flat('p_title'), 'A')}
        || {_pg_vector(f"concat_ws(' ', {_pg_flat('p_summary')}, {_pg_flat('p_description')})", 'B')}
        || {_pg_vector(
            "(SELECT string_agg(n.value, ' ') FROM local_governments AS lg, jsonb_each_text(lg.name) AS n"
            " WHERE lg.id = p_lead)", 'C')}
$$
"""

PG_PRACTICE_FUNCTION = """
CREATE FUNCTION practice_search_refresh() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO practice_search (practice_id, document)
    VALUES (NEW.id, practice_search_document(NEW.title, NEW.summary, NEW.description, NEW.lead_local_government_id))
    ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$
"""

PG_PLACE_FUNCTION = """
CREATE FUNCTION practice_search_refresh_place() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE practice_search AS s
    SET document = practice_search_document(p.title, p.summary, p.description, p.lead_local_government_id)
    FROM practices AS p
    WHERE p.id = s.practice_id AND p.lead_local_government_id = NEW.id;
    RETURN NULL;
END
$$
"""


def _upgrade_postgresql() -> None:
    # unaccent is a trusted extension (PostgreSQL 13+): a database owner may create it without superuser.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    # Deleting a practice deletes its row through the foreign key (no trigger needed); an id change follows it.
    op.execute(
        "CREATE TABLE practice_search ("
        " practice_id integer NOT NULL,"
        " document tsvector NOT NULL,"
        " CONSTRAINT pk_practice_search PRIMARY KEY (practice_id),"
        " CONSTRAINT fk_practice_search_practice_id_practices FOREIGN KEY (practice_id)"
        " REFERENCES practices (id) ON DELETE CASCADE ON UPDATE CASCADE)"
    )
    op.execute("CREATE INDEX ix_practice_search_document ON practice_search USING gin (document)")
    op.execute(PG_DOCUMENT_FUNCTION)
    op.execute(PG_PRACTICE_FUNCTION)
    op.execute(PG_PLACE_FUNCTION)
    op.execute(
        "CREATE TRIGGER practice_search_refresh"
        " AFTER INSERT OR UPDATE OF title, summary, description, lead_local_government_id ON practices"
        " FOR EACH ROW EXECUTE FUNCTION practice_search_refresh()"
    )
    op.execute(
        "CREATE TRIGGER practice_search_refresh_place AFTER UPDATE OF name ON local_governments"
        " FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION practice_search_refresh_place()"
    )
    op.execute(
        "INSERT INTO practice_search (practice_id, document)"
        " SELECT id, practice_search_document(title, summary, description, lead_local_government_id) FROM practices"
    )


def _downgrade_postgresql() -> None:
    op.execute("DROP TRIGGER IF EXISTS practice_search_refresh_place ON local_governments")
    op.execute("DROP TRIGGER IF EXISTS practice_search_refresh ON practices")
    op.execute("DROP FUNCTION IF EXISTS practice_search_refresh_place()")
    op.execute("DROP FUNCTION IF EXISTS practice_search_refresh()")
    op.execute("DROP FUNCTION IF EXISTS practice_search_document(jsonb, jsonb, jsonb, integer)")
    op.execute("DROP TABLE IF EXISTS practice_search")  # its GIN index goes with it
    # The unaccent extension stays: it may have existed before this migration, or other code may use it,
    # and leaving it harms nothing. DROP EXTENSION unaccent by hand if it is truly unwanted.
