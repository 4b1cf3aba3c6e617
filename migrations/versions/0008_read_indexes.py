"""Read indexes: every documented practice sort with the visibility filter, covering filter indexes; ANALYZE

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:30:00

The practice list filters on ``status`` and ``deleted_at IS NULL`` and sorts by one of the documented keys
(then ``slug``): each sort gets an index (status, key, slug) over the practices not deleted, which both
engines read in order with no sort step. SQLite cannot declare ``NULLS LAST`` in an index (its DESC already
puts NULLs last, and it reads ``ASC NULLS LAST`` from an ascending index in two passes); PostgreSQL needs it
spelt out for ``DESC NULLS LAST``. ``(status, deleted_at)`` replaces ``(status)``: the list's count is read
from it alone.

The association tables' filter indexes become (classification, practice_id), so ``practice_id IN (SELECT
practice_id ... WHERE right_id IN (...))`` never visits the table; the network filter gets (network_id,
local_government_id), the region filter one index per M49 column.

Then ANALYZE, so the planners know the tables' sizes (``registry.services.maintenance.refresh_statistics``
does the same after bulk loads).
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_NOT_DELETED = " WHERE deleted_at IS NULL"
_TITLE = {
    "sqlite": "json_extract(title, '$.' || original_language)",
    "postgresql": 'jsonb_extract_path_text(title, original_language) COLLATE "C"',
}
_DESC = {"sqlite": " DESC", "postgresql": " DESC NULLS LAST"}

#: (index name suffix, (sort key, direction)): the documented sorts of the practice list
_SORTS = (
    ("updated_at_desc", ("updated_at", "desc")),
    ("updated_at", ("updated_at", "asc")),
    ("title", ("title", "asc")),
    ("title_desc", ("title", "desc")),
    ("start_year", ("start_year", "asc")),
    ("start_year_desc", ("start_year", "desc")),
)
LINKS = (
    ("practice_partner_local_governments", "local_government_id"),
    ("practice_practice_types", "practice_type_id"),
    ("practice_rights", "right_id"),
    ("practice_questions", "question_id"),
    ("practice_target_groups", "target_group_id"),
    ("practice_gcm_objectives", "gcm_objective_id"),
    ("practice_gcm_principles", "gcm_principle_id"),
    ("practice_sdg_targets", "sdg_target_id"),
    ("practice_organisations", "organisation_id"),
)
M49 = ("m49_region", "m49_sub_region", "m49_intermediate_region")


def _sort_key(dialect: str, column: str, direction: str) -> str:
    key = _TITLE[dialect] if column == "title" else column
    return key + (_DESC[dialect] if direction == "desc" else "")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for suffix, (column, direction) in _SORTS:
        op.execute(
            f"CREATE INDEX ix_practices_listed_{suffix} ON practices "
            f"(status, {_sort_key(dialect, column, direction)}, slug){_NOT_DELETED}"
        )
    op.create_index("ix_practices_status_deleted_at", "practices", ["status", "deleted_at"])
    op.drop_index("ix_practices_status", table_name="practices")
    for table, column in LINKS:
        op.create_index(f"ix_{table}_filter", table, [column, "practice_id"])
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    op.create_index(
        "ix_local_government_networks_filter", "local_government_networks",
        ["network_id", "local_government_id"],
    )
    for column in M49:
        op.create_index(f"ix_local_governments_{column}", "local_governments", [column])
    op.execute("ANALYZE")


def downgrade() -> None:
    for column in M49:
        op.drop_index(f"ix_local_governments_{column}", table_name="local_governments")
    op.drop_index(
        "ix_local_government_networks_filter", table_name="local_government_networks"
    )
    for table, column in LINKS:
        op.create_index(f"ix_{table}_{column}", table, [column])
        op.drop_index(f"ix_{table}_filter", table_name=table)
    op.create_index("ix_practices_status", "practices", ["status"])
    op.drop_index("ix_practices_status_deleted_at", table_name="practices")
    for suffix, _ in _SORTS:
        op.drop_index(f"ix_practices_listed_{suffix}", table_name="practices")
