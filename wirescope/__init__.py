"""wirescope: news reports in, an evidence-backed intelligence knowledge base out."""
__version__ = "0.1.0"
