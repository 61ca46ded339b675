"""The patient mobile app: sign in with a code by SMS, answer check-ins, see one's own progress."""

import time
from datetime import timedelta

from flask import current_app, g, request
from flask_smorest import Blueprint

from server import clock
from server.api.idempotency import idempotent
from server.api.pagination import SelectPage
from server.api.schemas import my_progress
from server.api.schemas import patient_app as schemas
from server.api.schemas.app_consent import AppConsentEventSchema, AppConsentSchema
from server.api.security import client_ip, patient_required
from server.enums import Measure
from server.extensions import limiter
from server.phones import normalise_phone
from server.services import consent, patient_answers, patient_auth, patient_progress, scores

blp = Blueprint(
    "patient_app",
    __name__,
    url_prefix="/api/v1",
    description="The patient app: sign in with a code texted to the phone, answer check-ins "
    "(the same ones asked by SMS), send scores and see one's own progress.",
)
CODE_SENT = {
    "detail": "If this number belongs to a patient, a code is on its way by text.",
    "expires_in": int(patient_auth.CODE_LIFETIME.total_seconds()),
    "code_length": patient_auth.CODE_DIGITS,
}
PHONE = {"phone": "+16175551234"}
REPLAYED = {
    "Idempotent-Replayed": {
        "description": "true when this is the stored answer to an earlier request with the "
        "same Idempotency-Key (absent otherwise)",
        "schema": {"type": "string", "enum": ["true"]},
    }
}
ANSWERS = {"pain_nprs": 4, "headache_days_7d": 2}


def _limit(setting: str):
    return limiter.limit(lambda: current_app.config[setting], key_func=client_ip)


def _limit_per_phone(setting: str, scope: str):
    def phone_key() -> str:
        body = request.get_json(silent=True)
        phone = body.get("phone") if isinstance(body, dict) else None
        try:
            return f"{scope}:{normalise_phone(str(phone)[:32])}"
        except ValueError:
            return f"{scope}-ip:{client_ip()}"  # no phone to count: count the caller

    return limiter.limit(lambda: current_app.config[setting], key_func=phone_key)


@blp.route("/patient-auth/start", methods=["POST"])
@_limit("PATIENT_CODE_LIMIT_PER_IP")
@_limit_per_phone("PATIENT_CODE_LIMIT_PER_PHONE", "code")
@blp.arguments(schemas.SignInStartSchema, example=PHONE)
@blp.response(202, schemas.CodeSentSchema, example=CODE_SENT)
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def start_sign_in(fields):
    """Text a 6-digit sign-in code; the answer is the same whether or not the phone is known.

    The code is valid for 10 minutes and 5 tries; asking again replaces it. A number known to
    several clinics gets one text from each, with its own code: the code entered decides which
    clinic's record the app signs in to.
    """
    config, started = current_app.config, time.monotonic()
    patient_auth.start(fields["phone"], clock.now(), secret=config["SECRET_KEY"], ip=client_ip())
    # A known phone takes a few more inserts than an unknown one: answer at a fixed pace.
    time.sleep(max(0.0, started + config["PATIENT_CODE_MIN_SECONDS"] - time.monotonic()))
    return CODE_SENT


@blp.route("/patient-auth/verify", methods=["POST"])
@_limit("PATIENT_VERIFY_LIMIT_PER_IP")
@_limit_per_phone("PATIENT_VERIFY_LIMIT_PER_PHONE", "verify")
@blp.arguments(schemas.SignInVerifySchema, example=PHONE | {"code": "042917"})
@blp.response(200, schemas.PatientTokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def verify_sign_in(fields):
    """Exchange the texted code for a bearer token (30 days); 5 tries per code."""
    now, lifetime = clock.now(), timedelta(days=current_app.config["PATIENT_TOKEN_DAYS"])
    secret = current_app.config["SECRET_KEY"]
    token = patient_auth.verify(
        fields["phone"], fields["code"], now, secret=secret, lifetime=lifetime, ip=client_ip()
    )
    return {"token": token, "expires_at": now + lifetime}


@blp.route("/patient-auth/logout", methods=["POST"])
@patient_required(blp)
@blp.response(204)
def sign_out():
    """Revoke the token used for this request."""
    patient_auth.logout(g.token, g.patient, clock.now(), client_ip())


@blp.route("/me/checkins")
@patient_required(blp)
@blp.arguments(schemas.MyCheckInQuerySchema, location="query")
@blp.response(200, schemas.MyCheckInSchema(many=True))
@blp.paginate(SelectPage)
def my_checkins(query):
    """My check-ins, newest first; status=open lists the ones I can answer now."""
    return patient_answers.checkins_in_view(g.patient.id, query["status"], clock.now())


def _answers(fields: dict) -> dict[Measure, int | list[int]]:
    return {Measure(name): value for name, value in fields.items()}


@blp.route("/me/checkins/<int:checkin_id>/answers", methods=["POST"])
@patient_required(blp)
@blp.arguments(schemas.AnswersSchema, example=ANSWERS)
@blp.response(201, schemas.AnswerResultSchema, headers=REPLAYED)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@idempotent(blp)
def answer_checkin(fields, key, checkin_id):
    """Answer an open check-in: every question it still asks. Completes it, as by SMS.

    A closed check-in (answered, expired, cancelled) is a 409: send the score to /me/scores.
    """
    return patient_answers.answer_checkin(
        g.patient, checkin_id, _answers(fields), clock.now(), key=key, ip=client_ip()
    )


@blp.route("/me/scores", methods=["POST"])
@patient_required(blp)
@blp.arguments(schemas.AnswersSchema, example={"pain_nprs": 3})
@blp.response(201, my_progress.ScoresResultSchema, headers=REPLAYED)
@idempotent(blp)
def send_scores(fields, key):
    """Send a score without being asked (not tied to a check-in)."""
    return patient_answers.record_scores(
        g.patient, _answers(fields), clock.now(), key=key, ip=client_ip()
    )


@blp.route("/me/scores")
@patient_required(blp)
@blp.arguments(my_progress.MyScoreFilterSchema, location="query")
@blp.response(200, my_progress.MyScoreSchema(many=True))
@blp.paginate(SelectPage)
def my_scores(filters):
    """My scores from texts, the app and the clinic, oldest first."""
    return scores.scores_of(g.patient.id, filters.get("measure"))


@blp.route("/me/trends")
@patient_required(blp)
@blp.response(200, my_progress.MyTrendsSchema)
def my_trends():
    """How I am doing: each measure since I started, with a sentence that explains it."""
    return {"measures": patient_progress.progress_of(g.patient, clock.now())}


@blp.route("/me/consent", methods=["POST"])
@patient_required(blp)
@blp.arguments(AppConsentSchema, example={"action": "revoked"})
@blp.response(201, AppConsentEventSchema)
def change_my_consent(fields):
    """Stop check-in texts (revoked) or start them again (granted), as STOP/START by SMS."""
    return consent.record_by_patient(g.patient, fields["action"], clock.now(), client_ip())
