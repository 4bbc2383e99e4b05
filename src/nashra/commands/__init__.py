"""What each ``nashra`` command does, as plain functions of the :class:`~nashra.config.Settings`.

The command line (:mod:`nashra.cli`) parses options, resolves the settings
with :func:`nashra.config.resolve` and calls one of these; it does no work
itself. Heavy modules (torch, transformers, MkDocs) are imported inside the
functions so that importing this package, and ``nashra --help``, stays fast.
"""
