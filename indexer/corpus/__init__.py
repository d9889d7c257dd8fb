"""The corpus as staff and files see it: its folders, metadata from sidecars and file properties,
document kinds, and curation (staging, publishing, the recycle folder, the audit log)."""
