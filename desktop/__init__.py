"""Chronoscope's Qt GUI. Adapts the ``db`` query layer; never touches SQL directly."""
