"""What the CDS Hooks service keeps: the JWT ids it has accepted (to refuse a replay) and what
clinicians did with its cards (feedback), in the same database as the saved assessments.

Feedback keeps the card id, the outcome, the override reason's code and the number of accepted
suggestions; never a comment or anything about the patient.

>>> import tempfile, pathlib
>>> from datetime import UTC, datetime, timedelta
>>> from heelpath.services.storage import AssessmentStore
>>> log = CdsRecords(AssessmentStore(pathlib.Path(tempfile.mkdtemp()) / "a.sqlite3"))
>>> soon = datetime.now(UTC) + timedelta(minutes=5)
>>> log.first_use("https://ehr.example", "nonce-1", soon), log.first_use("https://ehr.example", "nonce-1", soon)
(True, False)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from heelpath.services.storage import AssessmentStore, now


@dataclass(frozen=True)
class FeedbackCount:
    service: str
    outcome: str
    reason: str | None
    count: int
    suggestions: int


class CdsRecords:
    def __init__(self, store: AssessmentStore) -> None:
        self.store = store

    def first_use(self, issuer: str, jti: str, expires: datetime) -> bool:
        """Record a token id; False when the same issuer already used it (a replay)."""
        key = hashlib.sha256(f"{issuer}\0{jti}".encode()).hexdigest()

        def insert(conn: Any) -> bool:
            conn.execute("DELETE FROM cds_tokens_seen WHERE expires < ?", (datetime.now(UTC).isoformat(),))
            return bool(conn.execute("INSERT INTO cds_tokens_seen (token_key, expires) VALUES (?, ?) "
                                     "ON CONFLICT (token_key) DO NOTHING", (key, expires.isoformat())).rowcount)

        return bool(self.store.write(insert))

    def add_feedback(self, service: str, items: list[Any]) -> int:
        """Store feedback items (:class:`heelpath.services.cds.Feedback`); how many were stored."""
        rows = []
        for item in items:
            reason = item.overrideReason.reason if item.overrideReason else None
            rows.append((now(), service, item.card, item.outcome, reason and reason.system, reason and reason.code,
                         len(item.acceptedSuggestions), item.outcomeTimestamp))

        def insert(conn: Any) -> int:
            for row in rows:
                conn.execute("INSERT INTO cds_feedback (received, service, card, outcome, reason_system, reason_code, "
                             "suggestions, outcome_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            return len(rows)

        return int(self.store.write(insert))

    def summary(self) -> list[FeedbackCount]:
        """Outcomes by service and override reason, most frequent first."""
        rows = self.store.run(False, lambda conn: conn.execute(
            "SELECT service, outcome, reason_code, count(*), sum(suggestions) FROM cds_feedback "
            "GROUP BY service, outcome, reason_code ORDER BY count(*) DESC, service, outcome").fetchall())
        return [FeedbackCount(r[0], r[1], r[2], int(r[3]), int(r[4] or 0)) for r in rows or []]

