"""Paging a SQLAlchemy select() with flask-smorest's X-Pagination header."""

from flask_smorest import Page
from sqlalchemy import func, select

from server.extensions import db

MAX_OFFSET = 2**31 - 1


class SelectPage(Page):
    """Runs the page query and one count query; the collection is a select()."""

    @property
    def items(self):
        params = self.page_params
        if params.first_item > MAX_OFFSET:  # past any real data, and past SQLite's integers
            return []
        query = self.collection.limit(params.page_size).offset(params.first_item)
        return db.session.scalars(query).all()

    @property
    def item_count(self):
        counted = self.collection.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counted))
