"""Practices: how far each is documented (stub, partial, complete) replaces pending/documented

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:05:00

``documentation_status`` ('pending', 'documented') becomes ``documentation`` ('stub', 'partial',
'complete'): a record the sources only announce is a stub, and stays out of the public list. A pending
record was one only announced (a stub); a documented one is complete. Going back, partial and complete
records were documented, and stubs pending again.

On SQLite the table is not rebuilt (batch mode's copy, drop and rename): dropping ``practices`` would
empty the tables that cascade from it (classifications, sources) while foreign keys are on, and the
search triggers of 0002 refuse the rename. The column is renamed in place (ALTER TABLE ... RENAME
COLUMN) and the CHECK constraint's text rewritten in the schema, the procedure SQLite documents for
changing a constraint that leaves the stored rows as they are ("Making Other Kinds Of Table Schema
Changes"); the rows are brought to the new values first, so the new constraint holds for every row.
"""

from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD = ("documentation_status", "ck_practices_documentation_status_allowed", "('pending', 'documented')")
NEW = ("documentation", "ck_practices_documentation_allowed", "('stub', 'partial', 'complete')")
UP = "CASE {column} WHEN 'pending' THEN 'stub' ELSE 'complete' END"
DOWN = "CASE {column} WHEN 'stub' THEN 'pending' ELSE 'documented' END"


def _check(column: str, name: str, values: str) -> str:
    return f"CONSTRAINT {name} CHECK ({column} IN {values})"


def _change(source: tuple[str, str, str], target: tuple[str, str, str], mapping: str) -> None:
    (old_column, old_check, _), (new_column, new_check, new_values) = source, target
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.drop_constraint(op.f(old_check), "practices", type_="check")
        op.alter_column("practices", old_column, new_column_name=new_column)
        op.execute(f"UPDATE practices SET {new_column} = {mapping.format(column=new_column)}")
        op.create_check_constraint(op.f(new_check), "practices", f"{new_column} IN {new_values}")
        return
    op.execute(f"ALTER TABLE practices RENAME COLUMN {old_column} TO {new_column}")
    op.execute("PRAGMA ignore_check_constraints = ON")
    op.execute(f"UPDATE practices SET {new_column} = {mapping.format(column=new_column)}")
    op.execute("PRAGMA ignore_check_constraints = OFF")
    old_text, new_text = _check(new_column, old_check, source[2]), _check(new_column, new_check, new_values)
    table_sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'practices'")
    if old_text not in table_sql.scalar_one():
        raise RuntimeError(f"practices has no constraint {old_text!r} to replace")
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    op.execute("PRAGMA writable_schema = ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'practices'",
        (old_text, new_text),
    )
    op.execute(f"PRAGMA schema_version = {version + 1}")
    op.execute("PRAGMA writable_schema = OFF")
    problems = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after rewriting practices' constraint: {problems}")


def upgrade() -> None:
    _change(OLD, NEW, UP)
    op.create_index("ix_practices_documentation", "practices", ["documentation"])


def downgrade() -> None:
    op.drop_index("ix_practices_documentation", table_name="practices")
    _change(NEW, OLD, DOWN)
