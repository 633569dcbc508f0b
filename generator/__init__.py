"""Taawun's static-site generator: content/ (YAML + Markdown) → a multilingual static site."""
