// The state machine's moves an officer takes (api/applications/state_machine.py MOVES), so the
// screens can offer them and apply them to the local copy while offline (every one goes through
// the outbox then; a new due date as its own command). Online, the server's `allowed_actions`
// decide what is offered.
export const STAFF_MOVES = {
  receive: { from: ["submitted"], to: "received" },
  return: { from: ["submitted"], to: "returned", note: true },
  start: { from: ["received"], to: "processing" },
  request_supplement: { from: ["processing"], to: "supplement_requested", note: true, missing: true },
  approve: { from: ["processing"], to: "approved" },
  reject: { from: ["processing"], to: "rejected", note: true },
  issue_result: { from: ["approved"], to: "result_issued", result: true },
  complete: { from: ["result_issued"], to: "completed" },
  set_new_due_date: { from: ["submitted", "received", "processing", "approved"], note: true, newDueDate: true },
};

/** The officer's moves from a status (offline: the local table). */
export function movesFrom(status) {
  return Object.keys(STAFF_MOVES).filter((action) => STAFF_MOVES[action].from.includes(status));
}

/** The officer's moves among the server's allowed actions, in the table's order. */
export function offered(application, online) {
  const allowed = online && application.allowed_actions ? new Set(application.allowed_actions) : new Set(movesFrom(application.status));
  return Object.keys(STAFF_MOVES).filter((action) => allowed.has(action));
}
