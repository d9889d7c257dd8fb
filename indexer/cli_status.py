"""`kennisbank status`: where the index is kept, whether it is current, and what the last run did;
for a cluster also each node's health and role and the document counts per collection."""

from __future__ import annotations

import argparse
import json

from indexer.engine.backend_choice import engine_status
from indexer.indexing.pipeline import CHANGES

_ROLES = {"leader": "leider", "follower": "volger", "candidate": "kandidaat"}


def cmd_status(args: argparse.Namespace) -> int:
    status = engine_status(args.index, args.engine_config)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    for line in status_lines(status):
        print(line)
    return 0


def _node_state(node: dict) -> str:
    """One node: reachable and healthy, still applying writes it received (healthy all the same:
    it serves, a moment behind), and its Raft role."""
    if not node["reachable"]:
        return "onbereikbaar"
    parts = ["gezond" if node["ok"] else f"niet gezond {node['detail']}".strip()]
    if node["pending_writes"]:
        parts.append(f"bijwerken bezig ({node['pending_writes']} schrijfopdrachten in de wachtrij)")
    parts.append(_ROLES.get(node["role"], node["role"] or "rol onbekend"))
    return ", ".join(parts)


def status_lines(status: dict) -> list[str]:
    """The status as Dutch lines for a person."""
    lines = []
    if status["engine"] == "typesense":
        lines.append("Zoekmachine: Typesense-cluster")
        for node in status["nodes"]:
            state = _node_state(node)
            lines.append(f"  server {node['node']}: {state}")
        lines.append(f"  leider: {status['leader'] or 'geen (het cluster neemt geen wijzigingen aan)'}")
        for collection in status["collections"]:
            alias = f" (alias {', '.join(collection['aliases'])})" if collection["aliases"] else ""
            lines.append(f"  collectie {collection['name']}: {collection['documents']} records{alias}")
        lines.append(f"Staat van de indexering: {status['state_folder']}")
    else:
        lines.append(f"Zoekmachine: ingebouwd, index in {status['state_folder']}")
    current = status["current"]
    if current is None:
        lines.append("Actueel: onbekend (het cluster heeft geen meerderheid)")
    else:
        lines.append("Actueel: ja" if current else "Actueel: nee; maak of vernieuw de index met: kennisbank index")
    if "documents" in status:
        lines.append(f"Documenten geïndexeerd: {status['documents']}")
    last = status["last_run"]
    if last:
        lines.append(
            f"Laatste indexering: {last.get('finished', '?')}{' (opnieuw opgebouwd)' if last.get('rebuilt') else ''}: "
            f"{len(last.get('indexed', []))} geïndexeerd, {last.get('unchanged', 0)} ongewijzigd, "
            f"{len(last.get('removed', []))} verwijderd, {len(last.get('failed', []))} mislukt"
        )
        # The last re-tagging or re-reading stays in the report until the next one.
        changes = last.get(CHANGES) or {}
        lead = (
            "  "
            if changes.get("finished") == last.get("finished")
            else f"  bij de indexering van {changes.get('finished')}: "
        )
        checks = ": de lijst staat in het beheeroverzicht (/beheer)"
        if changes.get("retagged"):
            changed = len(changes.get("theme_changes", []))
            lines.append(
                f"{lead}thema's opnieuw bepaald bij {changes['retagged']} "
                f"document{'en' if changes['retagged'] > 1 else ''}, bij {changed} veranderde het thema"
                + (checks if changed else "")
            )
        if changes.get("reread") or changes.get("kept"):
            titles, themes = len(changes.get("title_changes", [])), len(changes.get("theme_changes", []))
            kept = len(changes.get("kept", []))
            lines.append(
                f"{lead}opnieuw gelezen uit de bestanden (deze versie leest ze anders): {changes['reread']} "
                f"document{'' if changes['reread'] == 1 else 'en'}, "
                f"bij {titles} veranderde de titel en bij {themes} het thema"
                + (f", {kept} behouden zoals eerder gelezen" if kept else "")
                + (checks if titles or themes or kept else "")
            )
    else:
        lines.append("Laatste indexering: nog geen")
    return lines
