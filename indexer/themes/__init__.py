"""Themes: the taxonomy in corpus/themes/, tagging a document with reasons, re-tagging from stored text,
and measuring the tagger against labelled documents."""
