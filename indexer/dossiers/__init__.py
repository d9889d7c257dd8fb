"""Introductory dossiers per theme: their texts in corpus/dossiers/ and the PDF to take along."""
