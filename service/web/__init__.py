"""Web pages: `/` a draft checker for page admins, `/region` a region report from a file."""

from service.web.routes import router

__all__ = ["router"]
