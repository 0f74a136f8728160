"""Trusted documents: operations registered ahead of time, by the SHA-256 of their text.

The manifest is a JSON object `{"<sha256 hex>": "<document>"}`. The web frontend's is
generated at build time from its typed operations (`frontend/scripts/
trusted-documents.mjs` writes `frontend/trusted-documents.json`); deployments may point
`TRUSTED_DOCUMENTS_FILE` at their own, merged with their clients' operations.

- Any request may name a registered operation instead of sending its text: `documentId`
  or Apollo's `extensions.persistedQuery.sha256Hash`.
- With `TRUSTED_DOCUMENTS_ONLY=true`, only registered operations run at all (over HTTP
  and WebSocket); any other document is refused with UNTRUSTED_DOCUMENT before parsing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphql import GraphQLError

DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / "frontend" / "trusted-documents.json"


class InvalidManifestError(ValueError):
    """The manifest is not an object of SHA-256 hashes to the documents they hash."""


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class TrustedDocuments:
    def __init__(self, documents: Mapping[str, str], *, only: bool) -> None:
        self.documents = dict(documents)
        self.only = only

    @classmethod
    def load(cls, path: Path, *, only: bool) -> TrustedDocuments:
        """Reads and checks the manifest; a missing file registers nothing."""
        if not path.exists():
            if only:
                raise InvalidManifestError(f"TRUSTED_DOCUMENTS_ONLY needs {path}")
            return cls({}, only=only)
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, dict):
            raise InvalidManifestError(f"{path}: expected an object of hash -> document")
        for digest, document in entries.items():
            if not isinstance(document, str) or document_hash(document) != digest:
                raise InvalidManifestError(f"{path}: {digest} is not the hash of its document")
        return cls(entries, only=only)

    def named(self, extensions: Mapping[str, Any] | None, document_id: Any) -> str | None:
        """The registered text a request names by hash; None when it names none."""
        persisted = (extensions or {}).get("persistedQuery")
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else document_id
        if digest is None:
            return None
        if not isinstance(digest, str):
            raise _refusal("PERSISTED_QUERY_NOT_FOUND", "the document id must be a string")
        document = self.documents.get(digest.removeprefix("sha256:"))
        if document is None:
            raise _refusal("PERSISTED_QUERY_NOT_FOUND", f"no registered document {digest!r}")
        return document

    def refusal(self, query: str) -> GraphQLError | None:
        """UNTRUSTED_DOCUMENT for unregistered text when only trusted documents may run."""
        if not self.only or document_hash(query) in self.documents:
            return None
        return _refusal(
            "UNTRUSTED_DOCUMENT",
            "this server runs registered operations only (trusted documents)",
        )


def _refusal(code: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
