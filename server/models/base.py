"""Declarative base, naming convention, and the aware-UTC and measure-list column types."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import TypeDecorator

from server.enums import Measure

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp that refuses naive datetimes and always comes back aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused: {value!r}")
        value = value.astimezone(UTC)
        # SQLite has no time zone: store naive UTC text; PostgreSQL keeps timestamptz.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class MeasureList(TypeDecorator):
    """Measures in the order asked, stored as a JSON list of their names; read back as Measure.

    Unknown names are refused on write, so no code converts strings back and forth.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else [str(Measure(m)) for m in value]

    def process_result_value(self, value, dialect):
        return None if value is None else [Measure(m) for m in value]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# On the registry, not the class: Flask-SQLAlchemy subclasses Base, which forbids the class form.
Base.registry.update_type_annotation_map({datetime: UTCDateTime})


def enum_column(enum_cls: type[StrEnum], **kwargs):
    """A VARCHAR holding the enum's value, checked by a constraint, loaded as the StrEnum."""
    column_type = Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
    )
    return mapped_column(column_type, **kwargs)
