import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { api, sandbox } from "./sandbox.js";

const patient = {
  first_name: "Ada", last_name: "Lovelace", email: "ada@example.com",
  date_of_birth: "1985-12-10", sex: "female",
};

async function hold() {
  const slots = await api("/connected/slots?appointment_type_id=aptype_gp15");
  assert.equal(slots.status, 200);
  const h = await api("/connected/appointment_holds", { method: "POST", body: { slot_id: slots.body.data[0].id } });
  assert.equal(h.status, 200, JSON.stringify(h.body));
  return h.body;
}

/**
 * @param {{ appointment_id: string, hold_token: string }} h
 * @param {string} idempotencyKey
 */
function confirm(h, idempotencyKey) {
  return api(`/connected/appointments/${h.appointment_id}/confirm`, {
    method: "POST",
    headers: { "X-Appointment-Hold-Token": h.hold_token, "Idempotency-Key": idempotencyKey },
    body: { patient, external_payment_reference: "pi_node_1" },
  });
}

beforeEach(async () => {
  // Each test starts from an empty sandbox, journal and faults included.
  assert.equal((await sandbox("/reset", { method: "POST" })).status, 200);
  assert.equal((await sandbox("/requests", { method: "DELETE" })).status, 204);
  assert.equal((await sandbox("/faults", { method: "DELETE" })).status, 204);
});

test("a booking", async () => {
  const h = await hold();
  const apt = await confirm(h, randomUUID());
  assert.equal(apt.status, 200, JSON.stringify(apt.body));
  assert.equal(apt.body.object, "appointment");
  assert.equal(apt.body.status, "confirmed");
});

test("a hold expired by advancing the clock", async () => {
  const h = await hold();
  const clock = await sandbox("/clock/advance", { method: "POST", body: { seconds: 11 * 60 } });
  assert.equal(clock.status, 200);
  const res = await confirm(h, randomUUID());
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, "hold_expired");
});

test("a lost response on confirm, recovered with the same Idempotency-Key", async () => {
  const fault = await sandbox("/faults", {
    method: "POST",
    body: { method: "POST", path: "/connected/appointments/{appointment_id}/confirm", kind: "lost_response" },
  });
  assert.equal(fault.status, 201);

  const h = await hold();
  const key = randomUUID();
  await assert.rejects(confirm(h, key), "the connection closes before the answer");

  const again = await confirm(h, key);
  assert.equal(again.status, 200);
  assert.equal(again.headers.get("idempotent-replayed"), "true");

  // The journal shows what was sent: both attempts, with the same key.
  const journal = await sandbox(`/requests?idempotency_key=${key}`);
  assert.equal(journal.status, 200);
  const [replay, lost] = journal.body.data;
  assert.equal(lost.fault?.kind, "lost_response");
  assert.equal(lost.status, null);
  assert.equal(replay.replayed, true);
  assert.deepEqual(lost.request_body, { patient, external_payment_reference: "pi_node_1" });
  assert.equal(lost.request_headers["x-appointment-hold-token"], "REDACTED");

  const state = await sandbox(`/state?api_key=${process.env.DRONLINE_API_KEY}`);
  assert.equal(state.status, 200);
  assert.equal(state.body.appointments.length, 1, "booked once");
});
