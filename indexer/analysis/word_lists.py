"""Letting go of `wordfreq`'s word lists once the tables made from them are built.

`wordfreq` keeps every list it has read for the life of the process. Dutch is read twice, as its
"large" list (`lexicon`, `analyzers`) and as its "best" one (`zipf_frequency`, `engine.acronym_choice`),
about 60 MiB together, although a server process only needs the small tables made from them at its
warm-up. Reading a list again, when a new index generation chooses its acronyms, takes 0.1 s.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

from wordfreq import get_frequency_dict, get_frequency_list


def release_word_lists() -> None:
    """Drop the lists `wordfreq` holds, and give the memory they took back to the system: the C
    library keeps freed memory for later, and a server process would keep it for its lifetime."""
    get_frequency_dict.cache_clear()
    get_frequency_list.cache_clear()
    gc.collect()
    _trim_c_heap()


def _trim_c_heap() -> None:
    library = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None
    if trim is not None:  # glibc's; other C libraries return freed memory themselves or not at all
        trim(0)
