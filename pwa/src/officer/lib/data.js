// Where the officer screens read and write: the API while it answers; the local work set and
// the outbox when it does not (or while earlier offline work still waits, to keep the order).
import { NetworkError, request } from "../../lib/api.js";
import { postForm, preparePhoto } from "../../lib/photos.js";
import { STAFF_MOVES } from "./moves.js";
import { count, get, getAll, kvGet, kvSet, put } from "./store.js";
import { enqueue, registerDevice, syncNow, vnDay } from "./sync.js";

const CLOSED = new Set(["returned", "rejected", "completed", "withdrawn"]);
const NO_SLA = new Set(["returned", "rejected", "result_issued", "completed", "withdrawn", "draft"]);

export async function prepared() {
  return !!(await kvGet("device"))?.registered;
}

async function local(job, online) {
  if (navigator.onLine || !(await prepared())) {
    try {
      return { ...(await online()), offline: false };
    } catch (error) {
      if (!(error instanceof NetworkError) || !(await prepared())) throw error;
    }
  }
  return { ...(await job()), offline: true };
}

/** Working days from today to `due` (negative when late), by the pulled holiday calendar. */
export function workingDaysLeft(due, calendar = []) {
  const special = new Map(calendar.map((d) => [d.day, d.working]));
  const isWorking = (iso) => special.get(iso) ?? ![0, 6].includes(new Date(`${iso}T00:00:00Z`).getUTCDay());
  const today = vnDay();
  let n = 0;
  const step = due >= today ? 1 : -1;
  for (let d = new Date(`${today}T00:00:00Z`); d.toISOString().slice(0, 10) !== due; d.setUTCDate(d.getUTCDate() + step)) {
    const iso = new Date(d.getTime() + step * 86400_000).toISOString().slice(0, 10);
    if (isWorking(iso)) n += step;
  }
  return n;
}

export function slaOf(left) {
  return left < 0 ? "overdue" : left <= 1 ? "due_soon" : "on_track";
}

async function procedureNames() {
  const reference = await kvGet("reference");
  return new Map((reference?.procedures ?? []).map((p) => [p.code, p]));
}

function queueItem(app, names, calendar) {
  const procedure = names.get(app.procedure_code) ?? {};
  const left = app.due_date && !NO_SLA.has(app.status) ? workingDaysLeft(app.due_date, calendar) : null;
  return {
    id: app.id,
    receipt_code: app.receipt_code,
    procedure_code: app.procedure_code,
    procedure_name_vi: procedure.name_vi ?? app.procedure_code,
    procedure_name_en: procedure.name_en ?? app.procedure_code,
    applicant_name_masked: app.applicant?.full_name ?? "",
    status: app.status,
    due_date: app.due_date,
    working_days_left: left,
    sla: left === null ? null : slaOf(left),
    local: !!app.local,
    lease: app.lease ?? null,
  };
}

export async function loadQueue({ status, sla }) {
  return local(
    async () => {
      const reference = await kvGet("reference");
      const names = await procedureNames();
      const items = (await getAll("apps"))
        .filter((a) => a.status !== "draft" && (status ? a.status === status : !CLOSED.has(a.status)))
        .map((a) => queueItem(a, names, reference?.calendar))
        .filter((item) => !sla || item.sla === sla)
        .sort((a, b) => (a.due_date ?? "9999").localeCompare(b.due_date ?? "9999"));
      return { items };
    },
    async () => {
      const items = [];
      let cursor = null;
      do {
        const query = new URLSearchParams({ limit: "100", ...(status ? { status } : {}), ...(sla ? { sla } : {}), ...(cursor ? { cursor } : {}) });
        const page = await request(`/officer/queue?${query}`);
        items.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor);
      return { items };
    },
  );
}

export async function loadApplication(id) {
  const intake = await get("intakes", id);
  if (intake?.application_id) id = intake.application_id;
  else if (intake) return { application: (await get("apps", id)) ?? intake.app, offline: true };
  return local(
    async () => {
      const app = await get("apps", id);
      if (!app) throw new NetworkError("offline");
      const procedure = (await procedureNames()).get(app.procedure_code) ?? {};
      return { application: { ...app, procedure_name_vi: procedure.name_vi ?? app.procedure_code, procedure_name_en: procedure.name_en ?? app.procedure_code } };
    },
    async () => ({ application: await request(`/applications/${id}`) }),
  );
}

export async function loadProcedure(code) {
  try {
    return await request(`/procedures/${encodeURIComponent(code)}`);
  } catch (error) {
    const procedure = (await procedureNames()).get(code);
    if (error instanceof NetworkError && procedure) return procedure;
    throw error;
  }
}

async function uploadResult(application, photo) {
  const base = `/applications/${application.id}/documents`;
  const ticket = await request(`${base}/`, { method: "POST", body: { requirement: "result", content_type: photo.type, size: photo.size, sha256: photo.sha256 } });
  await postForm(ticket, photo.blob);
  return request(`${base}/${ticket.document_id}/complete`, { method: "POST" });
}

/** The command of a move for the outbox: a new due date has its own type (docs/sync.md §4). */
function moveCommand(action, { note, missing_documents, new_due_date }) {
  if (action === "set_new_due_date") return { type: "set_new_due_date", payload: { new_due_date, note } };
  return { type: "transition", payload: { action, ...(note ? { note } : {}), ...(missing_documents ? { missing_documents } : {}) } };
}

/** One move: straight to the API when it answers and nothing waits before it; else the outbox
 * (the local copy shows the move at once, marked as waiting). `result` is the file the move
 * needs (issue_result): uploaded first online, else sent ahead of the move by an
 * attach_document command with a chunked upload. Returns { application, queued }. */
export async function move(application, action, { note, missing_documents, new_due_date, result } = {}) {
  const photo = result ? await preparePhoto(result) : null;
  const waiting = await count("outbox");
  if (navigator.onLine && !waiting) {
    try {
      if (photo) await uploadResult(application, photo);
      const body = { action, expected_version: application.version, note: note || undefined, missing_documents, new_due_date };
      return { application: await request(`/applications/${application.id}/transitions`, { method: "POST", body }), queued: false };
    } catch (error) {
      if (!(error instanceof NetworkError) || !(await prepared())) throw error;
    }
  }
  const held = (await get("apps", application.id)) ?? application;
  const appKey = held.ref ?? held.id;
  const target = held.ref ? { application_ref: held.ref } : { application_id: held.id };
  const summary = { action, receipt_code: held.receipt_code, application_id: held.id };
  let documents = held.documents ?? [];
  if (photo) {
    const upload = { upload_id: crypto.randomUUID(), blob: photo.blob, type: photo.type, size: photo.size, sha256: photo.sha256, name: result.name, requirement: "result", sent: false };
    await put("uploads", upload);
    await enqueue({ type: "attach_document", ...target, payload: { upload_id: upload.upload_id, requirement: "result" } }, { appKey, uploads: [upload.upload_id], summary: { ...summary, action: undefined, type: "attach_document" }, before: held });
    documents = [...documents, { id: upload.upload_id, requirement: "result", kind: "result", status: "pending", content_type: photo.type, size: photo.size }];
  }
  await enqueue({ ...target, base_version: held.version, ...moveCommand(action, { note, missing_documents, new_due_date }) }, { appKey, summary, before: held });
  const rule = STAFF_MOVES[action];
  const moved = {
    ...held,
    ...(rule.to ? { status: rule.to } : {}),
    ...(new_due_date ? { due_date: new_due_date, pending_due_date: true } : {}),
    documents,
    version: held.version + 1,
    local: true,
    allowed_actions: undefined,
  };
  await put("apps", moved);
  syncNow();
  return { application: moved, queued: true };
}

/** The notes this device sent or will send, until the server's record lists them:
 * { [application id]: [{ command_id, note, at, device_time }] }. */
export async function localNotes(id) {
  return ((await kvGet("notes")) ?? {})[id] ?? [];
}

// The device's time of the command is stored with the note (notes kept before it was recorded
// match by text).
const sameNote = (local, server) => local.note === server.note && (!local.device_time || Date.parse(local.device_time) === Date.parse(server.device_time));

/** The officers' notes on an application: the server's (every device's, with author and
 * time), then this device's not on the server yet. A local copy the server's record already
 * lists is dropped from the device. */
export async function notesOf(application) {
  const server = application.notes ?? [];
  const mine = await localNotes(application.id);
  const kept = mine.filter((n) => !server.some((s) => sameNote(n, s)));
  if (kept.length !== mine.length) {
    const all = (await kvGet("notes")) ?? {};
    if (kept.length) all[application.id] = kept;
    else delete all[application.id];
    await kvSet("notes", all);
  }
  return { server, local: kept };
}

/** A note on the application, through the outbox (the `note` command; the device is
 * registered first when it was not prepared yet). */
export async function addNote(application, note) {
  if (!(await prepared())) await registerDevice();
  const held = (await get("apps", application.id)) ?? application;
  const entry = await enqueue(
    { type: "note", ...(held.ref ? { application_ref: held.ref } : { application_id: held.id }), payload: { note } },
    { appKey: held.ref ?? held.id, summary: { type: "note", receipt_code: held.receipt_code, application_id: held.id } },
  );
  const notes = (await kvGet("notes")) ?? {};
  notes[held.id] = [...(notes[held.id] ?? []), { command_id: entry.command.command_id, note, at: new Date().toISOString(), device_time: entry.command.device_time }];
  await kvSet("notes", notes);
  syncNow();
  return entry;
}

/** The due date of an intake taken today: the procedure's working days counted from the first
 * working day after receipt, by the pulled calendar (the server computes the same). */
export function dueAfter(days, calendar = [], from = vnDay()) {
  const special = new Map(calendar.map((d) => [d.day, d.working]));
  const d = new Date(`${from}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const iso = d.toISOString().slice(0, 10);
    if (special.get(iso) ?? ![0, 6].includes(d.getUTCDay())) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}
