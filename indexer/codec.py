"""Whoosh's W3 codec with short posting lists kept in the term dictionary.

Most terms occur in one or two records (word pairs, rare words, names). W3 writes each of them
as its own compressed block in the postings file; writing those blocks was the largest part of an
index build. W3 can keep such postings inside the term's entry instead ("inlining", read back by
its own reader), but its writer calls a method that does not exist, so the feature is off by
default. This codec repairs that call, and gives postings without a value (ID fields) empty
bytes, as merging segments expects.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3TermInfo

# Posting lists shorter than this are inlined.
INLINE_LIMIT = 4


class _InliningPostingsWriter(W3PostingsWriter):
    def finish_postings(self) -> W3TermInfo:
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        # A field without values (an ID) gets empty bytes per posting: Whoosh's reader would
        # otherwise hand a merge the str "" where bytes are required.
        terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
        self._terminfo = None
        return terminfo


class InliningCodec(W3Codec):
    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE_LIMIT)

    def postings_writer(self, dbfile, byteids=False):
        return _InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )
