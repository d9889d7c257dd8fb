"""A stamp of the last write into the served builds, kept in the cluster for `version()`.

Front ends keep what they derive from the index (dossier PDFs, the acronyms the documents define) per
`version()`. The served builds' names and record counts change with a rebuild and with a document
added or removed, but not when a document is replaced in place (a staff upload of a changed file, an
incremental run, re-tagging): every such write also puts a new random stamp into a one-record
collection of its own, `<prefix>-stamps`, which every front end reads with its search key.
"""

from __future__ import annotations

import secrets

from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.errors import ClusterError

_RECORD = "writes"  # the one record's id
_SCHEMA_FIELDS = [{"name": "stamp", "type": "string", "index": False, "optional": True}]


def stamps_collection(prefix: str) -> str:
    return f"{prefix}-stamps"


def renew(client: TypesenseClient, prefix: str) -> None:
    """A new stamp: call it after each write into the served builds has been acknowledged."""
    name = stamps_collection(prefix)
    path = f"/collections/{name}/documents"
    record = {"id": _RECORD, "stamp": secrets.token_hex(8)}
    try:
        client.request("POST", path, params={"action": "upsert"}, body=record, idempotent=True)
    except ClusterError as exc:
        if exc.status != 404:
            raise
        try:  # the first write in place on this cluster
            client.request("POST", "/collections", body={"name": name, "fields": _SCHEMA_FIELDS})
        except ClusterError as created:
            if created.status != 409:  # 409: another writer created it a moment ago
                raise
        client.request("POST", path, params={"action": "upsert"}, body=record, idempotent=True)


def current(client: TypesenseClient, prefix: str) -> str:
    """The last stamp, or "" before the first write in place."""
    try:
        found = client.request("GET", f"/collections/{stamps_collection(prefix)}/documents/{_RECORD}")
    except ClusterError as exc:
        if exc.status != 404:
            raise
        return ""
    return str(found.get("stamp", ""))
