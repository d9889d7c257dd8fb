"""Dutch text analysis: cleaning extracted text, the analyzers the index uses, the lexicon that splits
compounds, stems and word forms, and the acronyms documents define. Shared by indexing and querying."""
