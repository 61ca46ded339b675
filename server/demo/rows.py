"""The demo patients' histories as table rows: sessions, then check-ins, then scores."""

from datetime import timedelta

from server.demo import bulk_insert as demo_copy
from server.models import CheckIn, Score, TreatmentSession
from server.outcomes import within_post_needling_window


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    # On the table, not the ORM: it splits a batch wherever rows differ in which values are
    # None, which turned 20,000 patients into tens of thousands of round trips.
    return demo_copy.insert_rows(model.__table__, rows, with_ids=True)


def insert_histories(clinic_id: int, histories: list) -> None:
    """Insert the chunk's sessions, then check-ins, then scores: three statements in all."""
    sessions, checkins, scores = [], [], []
    for patient_id, therapist_id, made in histories:
        first_session, first_checkin = len(sessions), len(checkins)
        sessions += [
            {
                "clinic_id": clinic_id,
                "patient_id": patient_id,
                "therapist_id": therapist_id,
                "created_at": s["occurred_at"],
                **s,
            }
            for s in made["sessions"]
        ]
        checkins += [(patient_id, first_session + c["session_no"], c) for c in made["checkins"]]
        scores += [(patient_id, first_checkin, s) for s in made["scores"]]
    session_ids = _insert_returning_ids(TreatmentSession, sessions)
    checkin_ids = _insert_returning_ids(
        CheckIn, [_checkin_row(clinic_id, pid, session_ids[n], c) for pid, n, c in checkins]
    )
    demo_copy.insert_rows(
        Score.__table__,
        [_score_row(clinic_id, pid, offset, s, checkin_ids) for pid, offset, s in scores],
    )


def _score_row(clinic_id, patient_id, checkin_offset, s, checkin_ids) -> dict:
    index = s["checkin_index"]
    return {
        "clinic_id": clinic_id,
        "patient_id": patient_id,
        "measure": s["measure"],
        "value": s["value"],
        "reported_at": s["reported_at"],
        "source": s["source"],
        "check_in_id": None if index is None else checkin_ids[checkin_offset + index],
        "raw_text": s["raw_text"],
        "hours_since_session": s["hours_since_session"],
        # The demo clinic keeps rule set v1: its window marks the stored score, as add_score does.
        "in_post_needling_window": within_post_needling_window(s["hours_since_session"]),
        "late": False,
        "created_at": s["reported_at"],
    }


def _checkin_row(clinic_id, patient_id, session_id, c) -> dict:
    done = c["status"] == "completed"
    return {
        "clinic_id": clinic_id,
        "patient_id": patient_id,
        "session_id": session_id,
        "kind": c["kind"],
        "measures": c["measures"],
        "answered": c["measures"] if done else [],
        "due_at": c["due_at"],
        "window_end": c["due_at"] + timedelta(hours=48),
        "status": c["status"],
        "prompted_at": None if c["status"] == "scheduled" else c["due_at"],
        "completed_at": c["reply_at"],
        "reminder_count": 0,
        "unusable_replies": 0,
        "created_at": c["due_at"] - timedelta(days=3),
    }
