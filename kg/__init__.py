"""kg: a knowledge graph of who said what about whom in AI-investment news."""

__version__ = "0.1.0"
