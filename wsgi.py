"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from registry import create_app

app = create_app()
