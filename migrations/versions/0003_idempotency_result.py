"""Idempotency records keep what the first request stored, not its rendered HTTP answer

The service stored the API schema's dump and a status code; it now stores the check-in and the
score ids, and the API renders a replay from them with the same schema as the first answer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 05:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

records = sa.table(
    "idempotency_record",
    sa.column("id", sa.Integer),
    sa.column("response", sa.JSON),
    sa.column("check_in_id", sa.Integer),
    sa.column("score_ids", sa.JSON),
)


def upgrade():
    with op.batch_alter_table("idempotency_record") as batch_op:
        batch_op.add_column(sa.Column("check_in_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("score_ids", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_idempotency_record_check_in_id_check_in"),
            "check_in",
            ["check_in_id"],
            ["id"],
        )
    connection = op.get_bind()
    for record_id, response in connection.execute(sa.select(records.c.id, records.c.response)):
        # Both stored answers carried the records they returned: {"check_in": {...}, "scores": [...]}.
        check_in = response.get("check_in") or {}
        update = records.update().where(records.c.id == record_id)
        connection.execute(
            update.values(
                check_in_id=check_in.get("id"),
                score_ids=[score["id"] for score in response.get("scores", [])],
            )
        )
    with op.batch_alter_table("idempotency_record") as batch_op:
        batch_op.alter_column("score_ids", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("response")
        batch_op.drop_column("status_code")


def downgrade():
    # The rendered answers cannot be rebuilt here: the records only serve retries, so drop them.
    op.execute(records.delete())
    with op.batch_alter_table("idempotency_record") as batch_op:
        batch_op.add_column(sa.Column("status_code", sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column("response", sa.JSON(), nullable=False))
        batch_op.drop_constraint(
            batch_op.f("fk_idempotency_record_check_in_id_check_in"), type_="foreignkey"
        )
        batch_op.drop_column("score_ids")
        batch_op.drop_column("check_in_id")
