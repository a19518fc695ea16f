// What the generated types must refuse, and what they must take: a
// refusal that stops happening fails tsc ("Unused '@ts-expect-error'
// directive"), so this file fails the check if the control API's document
// loosens, and its other lines fail it if the document tightens.
import type { components } from "./gen/sandbox-control";
import { sandbox } from "../../examples/sandbox-node/sandbox.js";

type Schemas = components["schemas"];
type FaultInput = Schemas["FaultInput"];

// Per-kind requirements.
// @ts-expect-error a delay needs delay_ms
export const noDelay: FaultInput = { kind: "delay" };
// @ts-expect-error a status fault needs its status
export const noStatus: FaultInput = { kind: "status" };
// @ts-expect-error status goes with kind status only
export const dropWithStatus: FaultInput = { kind: "drop", status: 503 };
// @ts-expect-error retry_after_seconds goes with kind status only
export const delayWithRetry: FaultInput = { kind: "delay", delay_ms: 1, retry_after_seconds: 2 };
// @ts-expect-error no such kind
export const hang: FaultInput = { kind: "hang" };
// @ts-expect-error the method is upper case
export const lowerMethod: FaultInput = { kind: "drop", method: "get" };
// @ts-expect-error no member the handler refuses
export const unknownMember: Schemas["ClockAdvance"] = { seconds: 1, minutes: 2 };
// @ts-expect-error seconds is required
export const noSeconds: Schemas["ClockAdvance"] = {};

// Optional inputs stay optional: defaults are words, not required members.
export const minimal: FaultInput[] = [
  { kind: "drop" },
  { kind: "lost_response" },
  { kind: "delay", delay_ms: 0 },
  { kind: "status", status: 500 },
];
export const noFlags: Schemas["ResetInput"] = {};
export const noCatalogue: Schemas["CredentialInput"] = {};

// The answers' kinds are the inputs' kinds.
export const kinds: Schemas["FaultKind"][] = ["status", "drop", "lost_response", "delay"];
// @ts-expect-error hang is not a kind the sandbox answers
export const answeredHang: Schemas["Fault"]["kind"] = "hang";

// Error codes and types are enums.
export const code: Schemas["ErrorCode"] = "parameter_missing";
// @ts-expect-error an API code the control API never answers
export const apiCode: Schemas["ErrorCode"] = "hold_expired";
// @ts-expect-error a type the control API never answers
export const apiType: Schemas["ErrorType"] = "idempotency_error";

// A state's items are the contract's objects.
export function holdTokens(state: Schemas["State"]): string[] {
  return state.holds.map((h) => h.hold_token);
}
export function patientEmails(state: Schemas["State"]): string[] {
  return state.appointments.map((a) => a.patient.email);
}

// The Node example's helper takes what the document takes.
export async function helper(): Promise<void> {
  // @ts-expect-error /reset takes POST only
  await sandbox("/reset");
  // @ts-expect-error advancing needs a body
  await sandbox("/clock/advance", { method: "POST" });
  // @ts-expect-error and the body is a ClockAdvance
  await sandbox("/clock/advance", { method: "POST", body: { minutes: 1 } });
  // @ts-expect-error no such route
  await sandbox("/nowhere");
  // @ts-expect-error DELETE /faults takes no body
  await sandbox("/faults", { method: "DELETE", body: { kind: "drop" } });
  const state = await sandbox("/state?api_key=sk_sandbox_x");
  if (state.status === 200) state.body.holds satisfies Schemas["AppointmentHold"][];
  // @ts-expect-error 404 answers the error envelope
  if (state.status === 404) state.body.holds;
}
