"""The embedded engine on Whoosh: schema, index store, codec, stored fields and posting pool, posting
lists as arrays, snapshots, matching, facets, suggestions, page hits and the search itself.

Private Whoosh names used here, by module. They may change in any Whoosh release; the tests that compare
our reading of the index with Whoosh's own (`tests/test_matching.py`, `tests/test_posting_pool.py`) fail
first when they do:
- `codec`: `W3PostingsWriter._inlinelimit`, `._terminfo`, `._ids`, `._weights`, `._values`, `._format`,
  `._postfile`, `._blockcount`, `._compression`, `._maxweight`, `._minlength`, `._maxlength`, `._new_block`;
  `W3LeafMatcher._read_data`, `._read_ids`, `._read_weights`, `._read_values` and the fields they set
  and read (`._data`, `._postfile`, `._dataoffset`, `._nextoffset`, `._compression`, `._blocklength`,
  `._fixedsize`); `W3PerDocWriter._create_column`, `W3PerDocReader._cached_reader` (the stored fields' column);
- `posting_pool`: `PostingPool.current`, `.currentsize`, `.runs`, `._new_run`, `._add_run`, `._open_run`,
  `._remove_run`, `._read_run`, `._write_run`, `._merge_runs` (called by its `items` and `reduce_to`);
- `postings`: `SegmentReader._terms._postfile`;
- `term_dictionary`: `SegmentReader._terms`, its `._fieldmap` and `._tindex`; `whoosh.system._SHORT_SIZE`;
- `searchers`: `SegmentReader._perdoc`, its `._colfiles`, `._readers`, `._get_column_file`;
- `snapshot`: a fixed-length column reader's `._count`, `._dbfile`, `._basepos`, `._fixedlen`, `._default`,
  `._typecode`;
- `store`: `ForkServerProcess._Popen` (multiprocessing's, for the writer processes).
"""
