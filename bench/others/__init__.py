"""Adapters: turn a Taawun content tree into an equivalent Hugo, Pelican or MkDocs project.

- ``source``: reads the fields the benchmark pages show from a Taawun ``content/`` tree;
- ``hugo``, ``pelican``, ``mkdocs``: each has ``NAME``, ``available()``, ``version()`` and
  ``convert(site, dest)``, which returns a :class:`~bench.others.project.Project` that knows its
  build command, its output and how many pages it must produce;
- ``hugo_watch``: the one-edit rebuild under ``hugo --watch``;
- ``taawun``: the Taawun commands the benchmark runs (the one place to adjust them).
"""
