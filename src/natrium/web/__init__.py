"""The local web app (``natrium serve``): a JSON API and a page on it."""

from natrium.web.app import create_app

__all__ = ["create_app"]
