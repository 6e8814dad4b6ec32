"""Configuration files shipped with the service (activity norms)."""
