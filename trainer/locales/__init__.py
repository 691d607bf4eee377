"""Interface string tables, one module per language (see :mod:`trainer.i18n`)."""
