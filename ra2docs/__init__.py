"""ra2docs: the Anuket Kubernetes Reference Architecture (RA2) spec site from a YAML catalogue."""

__version__ = "0.1.0"
