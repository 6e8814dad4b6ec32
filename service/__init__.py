"""gospablik: scores posts of Russian government public pages and explains how to fix them."""

__version__ = "0.1.0"
