"""kkssite: the static-site generator behind KulturKraft Syd's public activity calendar."""

__version__ = "0.1.0"
