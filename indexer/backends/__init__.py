"""Search engines behind the engine seam: `whoosh` is the embedded one."""
