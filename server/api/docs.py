"""Swagger UI at /api/docs, served from vendored files (swagger/static/VERSIONS), never a CDN."""

from flask import Blueprint

# server/templates/swagger_ui.html (the app's templates come first) replaces flask-smorest's
# page, whose inline script the CSP would block.
bp = Blueprint(
    "api_docs",
    __name__,
    static_folder="swagger/static",
    static_url_path="/api/docs/static",
)
