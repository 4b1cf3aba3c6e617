"""Initial schema: the whole data model

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 20:40:03.378226
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: Multilingual text and JSON lists: JSONB on PostgreSQL, JSON text on SQLite.
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _sqlite(constraint: sa.CheckConstraint) -> sa.CheckConstraint:
    """A rule written in SQLite's dialect (GLOB, json_type); PostgreSQL has its own twin."""
    return constraint.ddl_if(dialect="sqlite")


def _postgresql(constraint: sa.CheckConstraint) -> sa.CheckConstraint:
    return constraint.ddl_if(dialect="postgresql")


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("name <> ''", name=op.f('ck_api_tokens_name_not_empty')),
    sa.CheckConstraint("role IN ('editor', 'admin')", name=op.f('ck_api_tokens_role_allowed')),
    sa.CheckConstraint('length(secret_hash) = 64', name=op.f('ck_api_tokens_secret_hash_sha256')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('name', name=op.f('uq_api_tokens_name')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_api_tokens_secret_hash'))
    )
    op.create_table('gcm_objectives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('short_title', JSON_DOC, nullable=False),
    sa.Column('title', JSON_DOC, nullable=False),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("json_type(short_title) = 'object' AND COALESCE(json_type(short_title, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_gcm_objectives_short_title_multilingual'))),
    _sqlite(sa.CheckConstraint("json_type(title) = 'object' AND COALESCE(json_type(title, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_gcm_objectives_title_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(short_title) = 'object' AND COALESCE(jsonb_typeof(short_title -> original_language), '') = 'string'", name=op.f('ck_gcm_objectives_short_title_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(title) = 'object' AND COALESCE(jsonb_typeof(title -> original_language), '') = 'string'", name=op.f('ck_gcm_objectives_title_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_gcm_objectives_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_gcm_objectives_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_gcm_objectives_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_gcm_objectives_slug_format'))),
    sa.CheckConstraint('number BETWEEN 1 AND 23', name=op.f('ck_gcm_objectives_number_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_gcm_objectives_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gcm_objectives')),
    sa.UniqueConstraint('number', name=op.f('uq_gcm_objectives_number')),
    sa.UniqueConstraint('slug', name=op.f('uq_gcm_objectives_slug'))
    )
    op.create_table('gcm_principles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', JSON_DOC, nullable=False),
    sa.Column('description', JSON_DOC, nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("description IS NULL OR (json_type(description) = 'object' AND COALESCE(json_type(description, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_gcm_principles_description_multilingual'))),
    _postgresql(sa.CheckConstraint("description IS NULL OR (jsonb_typeof(description) = 'object' AND COALESCE(jsonb_typeof(description -> original_language), '') = 'string')", name=op.f('ck_gcm_principles_description_multilingual'))),
    _sqlite(sa.CheckConstraint("json_type(title) = 'object' AND COALESCE(json_type(title, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_gcm_principles_title_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(title) = 'object' AND COALESCE(jsonb_typeof(title -> original_language), '') = 'string'", name=op.f('ck_gcm_principles_title_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_gcm_principles_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_gcm_principles_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_gcm_principles_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_gcm_principles_slug_format'))),
    sa.CheckConstraint('number BETWEEN 1 AND 10', name=op.f('ck_gcm_principles_number_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_gcm_principles_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gcm_principles')),
    sa.UniqueConstraint('number', name=op.f('uq_gcm_principles_number')),
    sa.UniqueConstraint('slug', name=op.f('uq_gcm_principles_slug'))
    )
    op.create_table('local_governments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', JSON_DOC, nullable=False),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('m49_region', sa.String(length=3), nullable=False),
    sa.Column('m49_sub_region', sa.String(length=3), nullable=False),
    sa.Column('m49_intermediate_region', sa.String(length=3), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('provenance', sa.String(length=2000), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _postgresql(sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name=op.f('ck_local_governments_country_format'))),
    _sqlite(sa.CheckConstraint("json_type(name) = 'object' AND COALESCE(json_type(name, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_local_governments_name_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(name) = 'object' AND COALESCE(jsonb_typeof(name -> original_language), '') = 'string'", name=op.f('ck_local_governments_name_multilingual'))),
    sa.CheckConstraint("kind IN ('municipality', 'province', 'metropolitan_area', 'region')", name=op.f('ck_local_governments_kind_allowed')),
    _sqlite(sa.CheckConstraint("length(country) = 2 AND country NOT GLOB '*[^A-Z]*'", name=op.f('ck_local_governments_country_format'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_local_governments_original_language_format'))),
    _sqlite(sa.CheckConstraint("m49_intermediate_region IS NULL OR (length(m49_intermediate_region) = 3 AND m49_intermediate_region NOT GLOB '*[^0-9]*')", name=op.f('ck_local_governments_m49_intermediate_region_format'))),
    _postgresql(sa.CheckConstraint("m49_intermediate_region IS NULL OR m49_intermediate_region ~ '^[0-9]{3}$'", name=op.f('ck_local_governments_m49_intermediate_region_format'))),
    _sqlite(sa.CheckConstraint("m49_region IS NULL OR (length(m49_region) = 3 AND m49_region NOT GLOB '*[^0-9]*')", name=op.f('ck_local_governments_m49_region_format'))),
    _postgresql(sa.CheckConstraint("m49_region IS NULL OR m49_region ~ '^[0-9]{3}$'", name=op.f('ck_local_governments_m49_region_format'))),
    _sqlite(sa.CheckConstraint("m49_sub_region IS NULL OR (length(m49_sub_region) = 3 AND m49_sub_region NOT GLOB '*[^0-9]*')", name=op.f('ck_local_governments_m49_sub_region_format'))),
    _postgresql(sa.CheckConstraint("m49_sub_region IS NULL OR m49_sub_region ~ '^[0-9]{3}$'", name=op.f('ck_local_governments_m49_sub_region_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_local_governments_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_local_governments_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_local_governments_slug_format'))),
    sa.CheckConstraint("website IS NULL OR substr(website, 1, 8) = 'https://' OR substr(website, 1, 7) = 'http://'", name=op.f('ck_local_governments_website_http')),
    sa.CheckConstraint('(latitude IS NULL) = (longitude IS NULL)', name=op.f('ck_local_governments_coordinates_paired')),
    sa.CheckConstraint('latitude IS NULL OR latitude BETWEEN -90 AND 90', name=op.f('ck_local_governments_latitude_range')),
    sa.CheckConstraint('longitude IS NULL OR longitude BETWEEN -180 AND 180', name=op.f('ck_local_governments_longitude_range')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_local_governments_not_own_parent')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_local_governments_version_positive')),
    sa.ForeignKeyConstraint(['parent_id'], ['local_governments.id'], name=op.f('fk_local_governments_parent_id_local_governments'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_governments')),
    sa.UniqueConstraint('slug', name=op.f('uq_local_governments_slug'))
    )
    with op.batch_alter_table('local_governments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_governments_country'), ['country'], unique=False)

    op.create_table('networks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', JSON_DOC, nullable=False),
    sa.Column('acronym', sa.String(length=40), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("json_type(name) = 'object' AND COALESCE(json_type(name, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_networks_name_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(name) = 'object' AND COALESCE(jsonb_typeof(name -> original_language), '') = 'string'", name=op.f('ck_networks_name_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_networks_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_networks_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_networks_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_networks_slug_format'))),
    sa.CheckConstraint("website IS NULL OR substr(website, 1, 8) = 'https://' OR substr(website, 1, 7) = 'http://'", name=op.f('ck_networks_website_http')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_networks_version_positive')),
    sa.ForeignKeyConstraint(['parent_id'], ['networks.id'], name=op.f('fk_networks_parent_id_networks'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks')),
    sa.UniqueConstraint('slug', name=op.f('uq_networks_slug'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', JSON_DOC, nullable=False),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("country IS NULL OR (length(country) = 2 AND country NOT GLOB '*[^A-Z]*')", name=op.f('ck_organisations_country_format'))),
    _postgresql(sa.CheckConstraint("country IS NULL OR country ~ '^[A-Z]{2}$'", name=op.f('ck_organisations_country_format'))),
    _sqlite(sa.CheckConstraint("json_type(name) = 'object' AND COALESCE(json_type(name, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_organisations_name_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(name) = 'object' AND COALESCE(jsonb_typeof(name -> original_language), '') = 'string'", name=op.f('ck_organisations_name_multilingual'))),
    sa.CheckConstraint("kind IN ('civil_society', 'international', 'academic', 'national_government', 'other')", name=op.f('ck_organisations_kind_allowed')),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_organisations_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_organisations_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_organisations_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_organisations_slug_format'))),
    sa.CheckConstraint("website IS NULL OR substr(website, 1, 8) = 'https://' OR substr(website, 1, 7) = 'http://'", name=op.f('ck_organisations_website_http')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_organisations_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    op.create_table('practice_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('label', JSON_DOC, nullable=False),
    sa.Column('description', JSON_DOC, nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("description IS NULL OR (json_type(description) = 'object' AND COALESCE(json_type(description, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_practice_types_description_multilingual'))),
    _postgresql(sa.CheckConstraint("description IS NULL OR (jsonb_typeof(description) = 'object' AND COALESCE(jsonb_typeof(description -> original_language), '') = 'string')", name=op.f('ck_practice_types_description_multilingual'))),
    _sqlite(sa.CheckConstraint("json_type(label) = 'object' AND COALESCE(json_type(label, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_practice_types_label_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(label) = 'object' AND COALESCE(jsonb_typeof(label -> original_language), '') = 'string'", name=op.f('ck_practice_types_label_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_practice_types_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_practice_types_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_practice_types_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_practice_types_slug_format'))),
    sa.CheckConstraint('version >= 1', name=op.f('ck_practice_types_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_types')),
    sa.UniqueConstraint('slug', name=op.f('uq_practice_types_slug'))
    )
    op.create_table('rights',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('label', JSON_DOC, nullable=False),
    sa.Column('description', JSON_DOC, nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('instruments', JSON_DOC, nullable=False),
    sa.Column('named_in_session', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("description IS NULL OR (json_type(description) = 'object' AND COALESCE(json_type(description, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_rights_description_multilingual'))),
    _postgresql(sa.CheckConstraint("description IS NULL OR (jsonb_typeof(description) = 'object' AND COALESCE(jsonb_typeof(description -> original_language), '') = 'string')", name=op.f('ck_rights_description_multilingual'))),
    _sqlite(sa.CheckConstraint("json_type(label) = 'object' AND COALESCE(json_type(label, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_rights_label_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(label) = 'object' AND COALESCE(jsonb_typeof(label -> original_language), '') = 'string'", name=op.f('ck_rights_label_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_rights_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_rights_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_rights_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_rights_slug_format'))),
    sa.CheckConstraint('version >= 1', name=op.f('ck_rights_version_positive')),
    sa.ForeignKeyConstraint(['parent_id'], ['rights.id'], name=op.f('fk_rights_parent_id_rights'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rights')),
    sa.UniqueConstraint('slug', name=op.f('uq_rights_slug'))
    )
    op.create_table('sdg_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('goal', sa.Integer(), nullable=False),
    sa.Column('title', JSON_DOC, nullable=False),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("code LIKE goal || '.%'", name=op.f('ck_sdg_targets_code_in_goal')),
    _sqlite(sa.CheckConstraint("json_type(title) = 'object' AND COALESCE(json_type(title, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_sdg_targets_title_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(title) = 'object' AND COALESCE(jsonb_typeof(title -> original_language), '') = 'string'", name=op.f('ck_sdg_targets_title_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_sdg_targets_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_sdg_targets_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_sdg_targets_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_sdg_targets_slug_format'))),
    sa.CheckConstraint('goal BETWEEN 1 AND 17', name=op.f('ck_sdg_targets_goal_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_sdg_targets_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sdg_targets')),
    sa.UniqueConstraint('code', name=op.f('uq_sdg_targets_code')),
    sa.UniqueConstraint('slug', name=op.f('uq_sdg_targets_slug'))
    )
    op.create_table('sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', JSON_DOC, nullable=False),
    sa.Column('description', JSON_DOC, nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('provenance', sa.String(length=2000), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("description IS NULL OR (json_type(description) = 'object' AND COALESCE(json_type(description, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_sessions_description_multilingual'))),
    _postgresql(sa.CheckConstraint("description IS NULL OR (jsonb_typeof(description) = 'object' AND COALESCE(jsonb_typeof(description -> original_language), '') = 'string')", name=op.f('ck_sessions_description_multilingual'))),
    _sqlite(sa.CheckConstraint("json_type(title) = 'object' AND COALESCE(json_type(title, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_sessions_title_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(title) = 'object' AND COALESCE(jsonb_typeof(title -> original_language), '') = 'string'", name=op.f('ck_sessions_title_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_sessions_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_sessions_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_sessions_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_sessions_slug_format'))),
    sa.CheckConstraint('end_time IS NULL OR start_time IS NULL OR end_time > start_time', name=op.f('ck_sessions_time_order')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_sessions_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions')),
    sa.UniqueConstraint('slug', name=op.f('uq_sessions_slug'))
    )
    op.create_table('target_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('label', JSON_DOC, nullable=False),
    sa.Column('description', JSON_DOC, nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("description IS NULL OR (json_type(description) = 'object' AND COALESCE(json_type(description, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_target_groups_description_multilingual'))),
    _postgresql(sa.CheckConstraint("description IS NULL OR (jsonb_typeof(description) = 'object' AND COALESCE(jsonb_typeof(description -> original_language), '') = 'string')", name=op.f('ck_target_groups_description_multilingual'))),
    _sqlite(sa.CheckConstraint("json_type(label) = 'object' AND COALESCE(json_type(label, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_target_groups_label_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(label) = 'object' AND COALESCE(jsonb_typeof(label -> original_language), '') = 'string'", name=op.f('ck_target_groups_label_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_target_groups_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_target_groups_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_target_groups_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_target_groups_slug_format'))),
    sa.CheckConstraint('version >= 1', name=op.f('ck_target_groups_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_groups')),
    sa.UniqueConstraint('slug', name=op.f('uq_target_groups_slug'))
    )
    op.create_table('local_government_networks',
    sa.Column('local_government_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['local_government_id'], ['local_governments.id'], name=op.f('fk_local_government_networks_local_government_id_local_governments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_local_government_networks_network_id_networks'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('local_government_id', 'network_id', name=op.f('pk_local_government_networks'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('role', JSON_DOC, nullable=False),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('local_government_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("json_type(role) = 'object' AND COALESCE(json_type(role, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_people_role_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(role) = 'object' AND COALESCE(jsonb_typeof(role -> original_language), '') = 'string'", name=op.f('ck_people_role_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_people_original_language_format'))),
    sa.CheckConstraint("name IS NULL OR name <> ''", name=op.f('ck_people_name_not_empty')),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_people_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_people_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_people_slug_format'))),
    sa.CheckConstraint('version >= 1', name=op.f('ck_people_version_positive')),
    sa.ForeignKeyConstraint(['local_government_id'], ['local_governments.id'], name=op.f('fk_people_local_government_id_local_governments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_people_network_id_networks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_people_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('slug', name=op.f('uq_people_slug'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_local_government_id'), ['local_government_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', JSON_DOC, nullable=False),
    sa.Column('summary', JSON_DOC, nullable=True),
    sa.Column('description', JSON_DOC, nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('lead_local_government_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.Column('end_year', sa.Integer(), nullable=True),
    sa.Column('funding_kinds', JSON_DOC, nullable=False),
    sa.Column('funding_independent_of_state', sa.Boolean(), nullable=True),
    sa.Column('outcomes', JSON_DOC, nullable=True),
    sa.Column('evidence', JSON_DOC, nullable=True),
    sa.Column('provenance', sa.String(length=2000), nullable=False),
    sa.Column('documentation_status', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("description IS NULL OR (json_type(description) = 'object' AND COALESCE(json_type(description, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_practices_description_multilingual'))),
    _postgresql(sa.CheckConstraint("description IS NULL OR (jsonb_typeof(description) = 'object' AND COALESCE(jsonb_typeof(description -> original_language), '') = 'string')", name=op.f('ck_practices_description_multilingual'))),
    sa.CheckConstraint("documentation_status IN ('pending', 'documented')", name=op.f('ck_practices_documentation_status_allowed')),
    _sqlite(sa.CheckConstraint("evidence IS NULL OR (json_type(evidence) = 'object' AND COALESCE(json_type(evidence, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_practices_evidence_multilingual'))),
    _postgresql(sa.CheckConstraint("evidence IS NULL OR (jsonb_typeof(evidence) = 'object' AND COALESCE(jsonb_typeof(evidence -> original_language), '') = 'string')", name=op.f('ck_practices_evidence_multilingual'))),
    _sqlite(sa.CheckConstraint("json_type(title) = 'object' AND COALESCE(json_type(title, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_practices_title_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(title) = 'object' AND COALESCE(jsonb_typeof(title -> original_language), '') = 'string'", name=op.f('ck_practices_title_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_practices_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_practices_original_language_format'))),
    _sqlite(sa.CheckConstraint("outcomes IS NULL OR (json_type(outcomes) = 'object' AND COALESCE(json_type(outcomes, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_practices_outcomes_multilingual'))),
    _postgresql(sa.CheckConstraint("outcomes IS NULL OR (jsonb_typeof(outcomes) = 'object' AND COALESCE(jsonb_typeof(outcomes -> original_language), '') = 'string')", name=op.f('ck_practices_outcomes_multilingual'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_practices_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_practices_slug_format'))),
    sa.CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name=op.f('ck_practices_published_dated')),
    sa.CheckConstraint("status IN ('draft', 'in_review', 'published', 'archived')", name=op.f('ck_practices_status_allowed')),
    _sqlite(sa.CheckConstraint("summary IS NULL OR (json_type(summary) = 'object' AND COALESCE(json_type(summary, '$.\"' || original_language || '\"'), '') = 'text')", name=op.f('ck_practices_summary_multilingual'))),
    _postgresql(sa.CheckConstraint("summary IS NULL OR (jsonb_typeof(summary) = 'object' AND COALESCE(jsonb_typeof(summary -> original_language), '') = 'string')", name=op.f('ck_practices_summary_multilingual'))),
    sa.CheckConstraint('end_year IS NULL OR end_year BETWEEN 1900 AND 2100', name=op.f('ck_practices_end_year_range')),
    sa.CheckConstraint('start_year IS NULL OR end_year IS NULL OR start_year <= end_year', name=op.f('ck_practices_year_order')),
    sa.CheckConstraint('start_year IS NULL OR start_year BETWEEN 1900 AND 2100', name=op.f('ck_practices_start_year_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_practices_version_positive')),
    sa.ForeignKeyConstraint(['lead_local_government_id'], ['local_governments.id'], name=op.f('fk_practices_lead_local_government_id_local_governments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_practices_session_id_sessions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices')),
    sa.UniqueConstraint('slug', name=op.f('uq_practices_slug'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_lead_local_government_id'), ['lead_local_government_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_status'), ['status'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', JSON_DOC, nullable=False),
    sa.Column('original_language', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _sqlite(sa.CheckConstraint("json_type(text) = 'object' AND COALESCE(json_type(text, '$.\"' || original_language || '\"'), '') = 'text'", name=op.f('ck_questions_text_multilingual'))),
    _postgresql(sa.CheckConstraint("jsonb_typeof(text) = 'object' AND COALESCE(jsonb_typeof(text -> original_language), '') = 'string'", name=op.f('ck_questions_text_multilingual'))),
    _sqlite(sa.CheckConstraint("length(original_language) BETWEEN 2 AND 3 AND original_language NOT GLOB '*[^a-z]*'", name=op.f('ck_questions_original_language_format'))),
    _postgresql(sa.CheckConstraint("original_language ~ '^[a-z]{2,3}$'", name=op.f('ck_questions_original_language_format'))),
    _sqlite(sa.CheckConstraint("slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'", name=op.f('ck_questions_slug_format'))),
    _postgresql(sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_questions_slug_format'))),
    sa.CheckConstraint('number >= 1', name=op.f('ck_questions_number_positive')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_questions_version_positive')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_questions_session_id_sessions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('session_id', 'number', name=op.f('uq_questions_session_id_number')),
    sa.UniqueConstraint('slug', name=op.f('uq_questions_slug'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_session_id'), ['session_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('entity_slug', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.CheckConstraint("action IN ('create', 'update', 'status_change', 'delete', 'restore')", name=op.f('ck_revisions_action_allowed')),
    sa.CheckConstraint("actor <> ''", name=op.f('ck_revisions_actor_not_empty')),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_revisions_token_id_api_tokens'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions'))
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisions_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_revisions_entity', ['entity_type', 'entity_id'], unique=False)

    op.create_table('practice_gcm_objectives',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('gcm_objective_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['gcm_objective_id'], ['gcm_objectives.id'], name=op.f('fk_practice_gcm_objectives_gcm_objective_id_gcm_objectives'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_gcm_objectives_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'gcm_objective_id', name=op.f('pk_practice_gcm_objectives'))
    )
    with op.batch_alter_table('practice_gcm_objectives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_gcm_objectives_gcm_objective_id'), ['gcm_objective_id'], unique=False)

    op.create_table('practice_gcm_principles',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('gcm_principle_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['gcm_principle_id'], ['gcm_principles.id'], name=op.f('fk_practice_gcm_principles_gcm_principle_id_gcm_principles'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_gcm_principles_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'gcm_principle_id', name=op.f('pk_practice_gcm_principles'))
    )
    with op.batch_alter_table('practice_gcm_principles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_gcm_principles_gcm_principle_id'), ['gcm_principle_id'], unique=False)

    op.create_table('practice_organisations',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_practice_organisations_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_organisations_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'organisation_id', name=op.f('pk_practice_organisations'))
    )
    with op.batch_alter_table('practice_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_organisations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('practice_partner_local_governments',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('local_government_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['local_government_id'], ['local_governments.id'], name=op.f('fk_practice_partner_local_governments_local_government_id_local_governments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_partner_local_governments_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'local_government_id', name=op.f('pk_practice_partner_local_governments'))
    )
    with op.batch_alter_table('practice_partner_local_governments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_partner_local_governments_local_government_id'), ['local_government_id'], unique=False)

    op.create_table('practice_practice_types',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('practice_type_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_practice_types_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_type_id'], ['practice_types.id'], name=op.f('fk_practice_practice_types_practice_type_id_practice_types'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('practice_id', 'practice_type_id', name=op.f('pk_practice_practice_types'))
    )
    with op.batch_alter_table('practice_practice_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_practice_types_practice_type_id'), ['practice_type_id'], unique=False)

    op.create_table('practice_questions',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_questions_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_practice_questions_question_id_questions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('practice_id', 'question_id', name=op.f('pk_practice_questions'))
    )
    with op.batch_alter_table('practice_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_questions_question_id'), ['question_id'], unique=False)

    op.create_table('practice_rights',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_rights_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['right_id'], ['rights.id'], name=op.f('fk_practice_rights_right_id_rights'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('practice_id', 'right_id', name=op.f('pk_practice_rights'))
    )
    with op.batch_alter_table('practice_rights', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_rights_right_id'), ['right_id'], unique=False)

    op.create_table('practice_sdg_targets',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('sdg_target_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_sdg_targets_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sdg_target_id'], ['sdg_targets.id'], name=op.f('fk_practice_sdg_targets_sdg_target_id_sdg_targets'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('practice_id', 'sdg_target_id', name=op.f('pk_practice_sdg_targets'))
    )
    with op.batch_alter_table('practice_sdg_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_sdg_targets_sdg_target_id'), ['sdg_target_id'], unique=False)

    op.create_table('practice_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.CheckConstraint("kind IN ('concept_note', 'report', 'web_page', 'article', 'video', 'dataset', 'other')", name=op.f('ck_practice_sources_kind_allowed')),
    sa.CheckConstraint("title <> ''", name=op.f('ck_practice_sources_title_not_empty')),
    sa.CheckConstraint("url IS NULL OR substr(url, 1, 8) = 'https://' OR substr(url, 1, 7) = 'http://'", name=op.f('ck_practice_sources_url_http')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_practice_sources_position_not_negative')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_sources_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_sources'))
    )
    with op.batch_alter_table('practice_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_sources_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_target_groups',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('target_group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_target_groups_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_group_id'], ['target_groups.id'], name=op.f('fk_practice_target_groups_target_group_id_target_groups'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('practice_id', 'target_group_id', name=op.f('pk_practice_target_groups'))
    )
    with op.batch_alter_table('practice_target_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_target_groups_target_group_id'), ['target_group_id'], unique=False)

    op.create_table('session_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('speaker', 'moderator')", name=op.f('ck_session_participants_role_allowed')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_session_participants_position_not_negative')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_session_participants_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_participants_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_participants')),
    sa.UniqueConstraint('session_id', 'person_id', 'role', name=op.f('uq_session_participants_session_id_person_id_role'))
    )
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_participants_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_participants_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_participants_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_participants_person_id'))

    op.drop_table('session_participants')
    with op.batch_alter_table('practice_target_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_target_groups_target_group_id'))

    op.drop_table('practice_target_groups')
    with op.batch_alter_table('practice_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_sources_practice_id'))

    op.drop_table('practice_sources')
    with op.batch_alter_table('practice_sdg_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_sdg_targets_sdg_target_id'))

    op.drop_table('practice_sdg_targets')
    with op.batch_alter_table('practice_rights', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_rights_right_id'))

    op.drop_table('practice_rights')
    with op.batch_alter_table('practice_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_questions_question_id'))

    op.drop_table('practice_questions')
    with op.batch_alter_table('practice_practice_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_practice_types_practice_type_id'))

    op.drop_table('practice_practice_types')
    with op.batch_alter_table('practice_partner_local_governments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_partner_local_governments_local_government_id'))

    op.drop_table('practice_partner_local_governments')
    with op.batch_alter_table('practice_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_organisations_organisation_id'))

    op.drop_table('practice_organisations')
    with op.batch_alter_table('practice_gcm_principles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_gcm_principles_gcm_principle_id'))

    op.drop_table('practice_gcm_principles')
    with op.batch_alter_table('practice_gcm_objectives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_gcm_objectives_gcm_objective_id'))

    op.drop_table('practice_gcm_objectives')
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_revisions_entity')
        batch_op.drop_index(batch_op.f('ix_revisions_created_at'))

    op.drop_table('revisions')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_session_id'))

    op.drop_table('questions')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practices_status'))
        batch_op.drop_index(batch_op.f('ix_practices_session_id'))
        batch_op.drop_index(batch_op.f('ix_practices_lead_local_government_id'))

    op.drop_table('practices')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_people_network_id'))
        batch_op.drop_index(batch_op.f('ix_people_local_government_id'))

    op.drop_table('people')
    op.drop_table('local_government_networks')
    op.drop_table('target_groups')
    op.drop_table('sessions')
    op.drop_table('sdg_targets')
    op.drop_table('rights')
    op.drop_table('practice_types')
    op.drop_table('organisations')
    op.drop_table('networks')
    with op.batch_alter_table('local_governments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_governments_country'))

    op.drop_table('local_governments')
    op.drop_table('gcm_principles')
    op.drop_table('gcm_objectives')
    op.drop_table('api_tokens')
