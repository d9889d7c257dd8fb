"""Measuring search quality: judged queries, metrics and the plain baselines we must beat."""
