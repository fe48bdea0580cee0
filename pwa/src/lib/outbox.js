// The outbox: a submitted draft waits here until it has reached the server. Each step is safe
// to repeat: the draft is created under its own Idempotency-Key (with the body frozen at the
// first try), photos are uploaded and completed once each, and submitting an application
// that is already submitted changes nothing. One item that fails never holds up the others.
// Runs in the page (on submit, on `online`, on open) and in the service worker (Background
// Sync), one at a time under a Web Lock.
import { ApiError, NetworkError, isTransient, request } from "./api.js";
import { postForm } from "./photos.js";
import { allDrafts, getDraft, putDraft } from "./store.js";

const SUBMITTED_OR_LATER = new Set(["submitted", "received", "processing", "approved", "rejected", "result_issued", "completed", "returned"]);

function withLock(job) {
  return globalThis.navigator?.locks ? navigator.locks.request("motcua-outbox", job) : job();
}

/** Sends every queued item; calls onChange(item) after each step so screens can follow. */
export function flush(onChange = () => {}) {
  return withLock(async () => {
    const queued = (await allDrafts()).filter((d) => d.state === "queued");
    for (const item of queued) {
      try {
        await send(item, onChange);
      } catch (error) {
        const fresh = (await getDraft(item.id)) ?? item;
        if (isTransient(error)) {
          fresh.lastAttemptError = "network";
        } else {
          fresh.state = "error";
          fresh.problem = error instanceof ApiError ? error.problem : { detail: String(error) };
        }
        await putDraft(fresh);
        onChange(fresh);
      }
    }
  });
}

async function save(item, onChange) {
  await putDraft(item);
  onChange(item);
}

async function send(item, onChange) {
  if (!item.serverId) {
    // The body is fixed at the first try: the same key with another body is refused.
    item.createBody ??= { procedure_code: item.procedureCode, form: item.form };
    await save(item, onChange);
    const created = await request("/applications", {
      method: "POST",
      body: item.createBody,
      headers: { "Idempotency-Key": item.key },
    });
    item.serverId = created.id;
    item.syncedForm = JSON.stringify(item.createBody.form);
    await save(item, onChange);
  }
  let current = await request(`/applications/${item.serverId}`);
  if (SUBMITTED_OR_LATER.has(current.status)) return done(item, current, onChange);
  if (JSON.stringify(item.form) !== item.syncedForm) {
    current = await request(`/applications/${item.serverId}`, { method: "PATCH", body: { form: item.form } });
    item.syncedForm = JSON.stringify(item.form);
    await save(item, onChange);
  }
  for (const photo of item.photos) {
    if (!photo.done) await upload(item, photo, onChange);
  }
  const action = current.status === "supplement_requested" ? "resubmit" : "submit";
  const submitted = await request(`/applications/${item.serverId}/${action}`, { method: "POST", body: {} });
  return done(item, submitted, onChange);
}

async function done(item, application, onChange) {
  item.state = "sent";
  item.receiptCode = application.receipt_code;
  item.problem = null;
  item.lastAttemptError = null;
  await save(item, onChange);
}

async function upload(item, photo, onChange, again = true) {
  const base = `/applications/${item.serverId}/documents`;
  if (!photo.ticket || Date.parse(photo.ticket.expires_at) < Date.now() + 30_000) {
    photo.ticket = await request(`${base}/`, {
      method: "POST",
      body: { requirement: photo.requirement, content_type: photo.type, size: photo.size, sha256: photo.sha256 },
    });
    photo.posted = false;
    await save(item, onChange);
  }
  if (!photo.posted) {
    try {
      await postForm(photo.ticket, photo.blob, (fraction) => {
        photo.progress = fraction;
        onChange(item);
      });
    } catch (error) {
      if (error.network) throw new NetworkError("offline");
      if (!again) throw new ApiError(error.storage ?? 500, { detail: error.message });
      photo.ticket = null;
      return upload(item, photo, onChange, false);
    }
    photo.posted = true;
    await save(item, onChange);
  }
  try {
    await request(`${base}/${photo.ticket.document_id}/complete`, { method: "POST" });
  } catch (error) {
    // Nothing arrived at storage, or the window closed: start this photo again, once.
    if (again && error instanceof ApiError && ["upload-missing", "upload-expired"].includes(error.slug)) {
      if (error.slug === "upload-expired") photo.ticket = null;
      photo.posted = false;
      return upload(item, photo, onChange, false);
    }
    throw error;
  }
  photo.done = true;
  photo.progress = 1;
  await save(item, onChange);
}
