// The browser client of the offline sync protocol (docs/sync.md): register the device,
// reserve receipt blocks, pull the work set (cursor saved only after its page), upload photos
// in resumable chunks, push the outbox in the order it was taken. Results are final only when
// the server says so; a conflict or a refusal goes to the officer's list, never overwritten.
import { dropSession, session } from "../../lib/api.js";
import { heldByColleague } from "./leases.js";
import { ApiError, NetworkError, patchChunk, sha256Base64, syncRequest } from "./net.js";
import { clearWorkSet, count, get, getAll, kvGet, kvSet, put, remove, saveApplications, saveNotifications } from "./store.js";

const CHUNK = 256 * 1024;
const CODES_PER_BLOCK = 30;
const LOW_WATER = 10;
const listeners = new Set();
let state = { phase: "idle", progress: null, problem: null };

export function vnDay(offsetDays = 0) {
  return new Date(Date.now() + 7 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);
}

/** Local time with its UTC offset, as the protocol's device_time wants it. */
export function deviceTime(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

export function onSyncChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(patch) {
  state = { ...state, ...patch };
  listeners.forEach((listener) => listener(state));
}

/** What the indicator shows. */
export async function syncStatus() {
  return {
    ...state,
    device: await kvGet("device"),
    lastSync: await kvGet("lastSync"),
    waiting: await count("outbox"),
    conflicts: await count("conflicts"),
    unread: (await getAll("notifications")).filter((n) => !n.read_at).length,
    codesLeft: (await unusedCodes(vnDay())).length,
  };
}

function withLock(job) {
  return globalThis.navigator?.locks ? navigator.locks.request("motcua-officer-sync", job) : job();
}

/** A revoked device registers nothing more: the next sign-in replaces it (replaceRevokedDevice). */
export async function registerDevice() {
  let device = await kvGet("device");
  if (device?.revoked) throw new ApiError(401, { type: "/problems/device-revoked", title: "device-revoked" });
  if (!device) {
    device = { device_id: crypto.randomUUID(), label: `${navigator.platform || "web"} ${new Date().toISOString().slice(0, 10)}`, registered: false };
    await kvSet("device", device);
  }
  if (!device.registered) {
    const answer = await syncRequest("/devices", { method: "POST", body: { device_id: device.device_id, label: device.label } });
    device = { ...device, registered: true, unit_code: answer.unit_code };
    await kvSet("device", device);
  }
  return device;
}

/** After a sign-in: a revoked device gives way to a new one (made at the next sync), which
 * carries the outbox; each entry keeps the origin_device_id it was taken with. */
export async function replaceRevokedDevice() {
  if ((await kvGet("device"))?.revoked) await kvSet("device", null);
}

/** The server refused this device: its unused codes go (a revoked device's codes are not
 * honoured for intakes taken after the revocation), the outbox and photos stay. */
async function loseDevice(revoked) {
  const device = await kvGet("device");
  await kvSet("blocks", []);
  if (revoked && device) {
    await kvSet("device", { ...device, revoked: true });
    await dropSession(); // only a new sign-in registers the device that carries the outbox
  } else await kvSet("device", null);
}

async function unusedCodes(day) {
  const blocks = (await kvGet("blocks")) ?? [];
  const used = new Set((await kvGet("usedCodes")) ?? []);
  return blocks.filter((b) => b.day === day && b.codes).flatMap((b) => b.codes).filter((code) => !used.has(code));
}

/** Keeps at least LOW_WATER codes for today and tomorrow; a retried block keeps its id. */
export async function topUpBlocks() {
  for (const day of [vnDay(), vnDay(1)]) {
    if ((await unusedCodes(day)).length >= LOW_WATER) continue;
    const blocks = ((await kvGet("blocks")) ?? []).filter((b) => b.day >= vnDay());
    let pending = blocks.find((b) => b.day === day && !b.codes);
    if (!pending) {
      pending = { block_id: crypto.randomUUID(), day };
      blocks.push(pending);
      await kvSet("blocks", blocks);
    }
    const answer = await syncRequest("/receipt-blocks", { method: "POST", body: { block_id: pending.block_id, day, count: CODES_PER_BLOCK } });
    pending.codes = answer.codes;
    await kvSet("blocks", blocks);
  }
}

/** A final receipt code of today's block for an intake; null when none is left. */
export async function takeCode() {
  const [code] = await unusedCodes(vnDay());
  if (!code) return null;
  await kvSet("usedCodes", [...((await kvGet("usedCodes")) ?? []), code]);
  return code;
}

export async function pull() {
  for (;;) {
    const cursor = await kvGet("cursor");
    let page;
    try {
      page = await syncRequest(`/pull?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    } catch (error) {
      if (error instanceof ApiError && error.slug === "sync-cursor-expired") {
        await kvSet("cursor", null);
        await clearWorkSet();
        continue;
      }
      throw error;
    }
    await saveApplications(page.applications);
    await saveNotifications(page.notifications ?? []);
    if (page.reference) await kvSet("reference", page.reference);
    await kvSet("cursor", page.next_cursor);
    if (!page.has_more) break;
  }
  await kvSet("lastSync", new Date().toISOString());
  announce({});
}

// Statuses in which the officer is working on a file (not new ones waiting to be received,
// not the citizen's turn): what "hold the files I am working on" leases.
const IN_PROCESSING = new Set(["received", "processing", "approved", "result_issued"]);
export const LEASE_HOURS = 72;

/** "Prepare for offline": device, receipt codes, the work set, and the app itself cached;
 * with `holdMine`, the files in processing that no colleague holds are leased to this device
 * (docs/sync.md §6). Returns how many were held. */
export async function prepare({ holdMine = false } = {}) {
  announce({ phase: "preparing", problem: null });
  try {
    await registerDevice();
    await topUpBlocks();
    await pull();
    let held = 0;
    if (holdMine) {
      const me = (await session())?.accountId;
      const ids = (await getAll("apps"))
        .filter((a) => IN_PROCESSING.has(a.status) && !a.ref && !heldByColleague(a.lease, me))
        .map((a) => a.id);
      held = (await holdApplications(ids)).filter((answer) => answer.outcome === "leased").length;
    }
    await navigator.storage?.persist?.().catch(() => false);
    await cacheApp();
    await kvSet("preparedAt", new Date().toISOString());
    return { held };
  } finally {
    announce({ phase: "idle" });
  }
}

/** Leases these applications to this device (at most 100 per request); the local copies show
 * the answers at once, the pull brings them to the other devices. Returns the answers. */
export async function holdApplications(ids) {
  await registerDevice();
  const answers = [];
  for (let start = 0; start < ids.length; start += 100) {
    const answer = await syncRequest("/leases", { method: "POST", body: { application_ids: ids.slice(start, start + 100), hours: LEASE_HOURS } });
    answers.push(...answer.leases);
  }
  await showLeases(answers.map((answer) => [answer.application_id, answer.lease]));
  return answers;
}

/** Ends one of the officer's leases early (from any of their devices). */
export async function releaseLease(applicationId, leaseId) {
  await registerDevice();
  await syncRequest(`/leases/${leaseId}/release`, { method: "POST" });
  await showLeases([[applicationId, null]]);
}

async function showLeases(pairs) {
  for (const [id, lease] of pairs) {
    const app = await get("apps", id);
    const holder = lease && { lease_id: lease.lease_id, holder_id: lease.holder_id, holder_name: lease.holder_name, expires_at: lease.expires_at };
    if (app) await put("apps", { ...app, lease: holder });
  }
  announce({});
}

async function cacheApp() {
  if (!globalThis.caches) return;
  const cache = await caches.open("assets-lazy");
  const own = new URL(import.meta.url).pathname;
  if (!(await cache.match(own))) await cache.add(own).catch(() => {});
  // The pickers of the intake form read these through the service worker's data cache.
  const province = (await kvGet("reference"))?.unit?.province_code;
  const lists = ["/api/v1/provinces/", ...(province ? [`/api/v1/provinces/${province}/communes`] : [])];
  await Promise.all(lists.map((url) => fetch(url).catch(() => null)));
}

/** Puts a command in the outbox (its command_id made now, once) and chains it to the previous
 * command on the same application. */
export async function enqueue(command, { appKey, uploads = [], summary, before = null }) {
  const chains = (await kvGet("chains")) ?? {};
  const device = await kvGet("device");
  const origin = device && !device.revoked ? { origin_device_id: device.device_id } : {};
  const entry = {
    command: { command_id: crypto.randomUUID(), device_time: deviceTime(), depends_on: chains[appKey] ?? null, ...origin, ...command },
    appKey,
    uploads,
    summary,
    before,
    queuedAt: new Date().toISOString(),
  };
  await put("outbox", entry);
  chains[appKey] = entry.command.command_id;
  await kvSet("chains", chains);
  announce({});
  return entry;
}

async function sendUpload(upload) {
  const declared = { upload_id: upload.upload_id, content_type: upload.type, size: upload.size, sha256: upload.sha256 };
  let { offset, complete } = await syncRequest("/uploads", { method: "POST", body: declared });
  while (!complete) {
    const chunk = await upload.blob.slice(offset, Math.min(offset + CHUNK, upload.size)).arrayBuffer();
    try {
      ({ offset, complete } = await patchChunk(upload.upload_id, offset, chunk, await sha256Base64(chunk)));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.slug === "upload-offset-mismatch" || error.slug === "chunk-checksum-mismatch") ({ offset, complete } = await syncRequest(`/uploads/${upload.upload_id}`));
      else if (error.slug === "upload-checksum-mismatch") offset = 0;
      else throw error;
    }
    announce({ progress: { name: upload.name, fraction: offset / upload.size } });
  }
  await put("uploads", { ...upload, sent: true });
  announce({ progress: null });
}

function settled(result) {
  return result.outcome === "duplicate" ? { ...result.first, command_id: result.command_id } : result;
}

async function record(entry, result) {
  await remove("outbox", entry.seq);
  if (result.outcome === "applied") {
    if (entry.command.type === "counter_intake") {
      const intake = await get("intakes", entry.command.application_ref);
      if (intake) await put("intakes", { ...intake, application_id: result.application_id, sent: true });
      await remove("apps", entry.command.application_ref);
    }
    for (const id of entry.uploads) await remove("uploads", id);
    return;
  }
  await put("conflicts", { command_id: entry.command.command_id, entry, outcome: result.outcome, current: result.current ?? null, problem: result.problem ?? null, at: new Date().toISOString() });
  if (result.current) await saveApplications([result.current]);
  if (entry.command.application_ref) await remove("apps", entry.command.application_ref);
  const app = entry.command.application_id && (await get("apps", entry.command.application_id));
  // The local copy showed the command as done: back to the server's record, or to the copy
  // held before the command when the answer carries none (a refusal).
  if (app?.local && (result.current || entry.before)) await put("apps", result.current ?? entry.before);
}

/** One pass: photos first, then the outbox in order (batches of ≤ 100). Returns true when the
 * outbox is empty. Transport failures and `retry` leave what is left for the next pass. */
export async function drain() {
  const entries = (await getAll("outbox")).sort((a, b) => a.seq - b.seq);
  if (!entries.length) return true;
  const device = await registerDevice();
  for (const entry of entries) {
    for (const id of entry.uploads) {
      const upload = await get("uploads", id);
      if (upload && !upload.sent) await sendUpload(upload);
    }
  }
  for (let start = 0; start < entries.length; start += 100) {
    const batch = entries.slice(start, start + 100);
    const answer = await syncRequest("/push", { method: "POST", body: { device_id: device.device_id, commands: batch.map((e) => e.command) } });
    let stop = false;
    for (const [index, raw] of answer.results.entries()) {
      const result = settled(raw);
      if (result.outcome === "retry") {
        stop = true;
        continue;
      }
      await record(batch[index], result);
    }
    announce({});
    if (stop) return false;
  }
  return (await count("outbox")) === 0;
}

let timer = null;
let attempt = 0;

/** Drain then pull; on failure again later with exponential backoff and full jitter. */
export function syncNow() {
  clearTimeout(timer);
  return withLock(async () => {
    announce({ phase: "syncing", problem: null });
    try {
      const empty = await drain();
      if (await kvGet("device")) {
        await pull();
        await topUpBlocks();
      }
      attempt = 0;
      if (!empty) schedule();
      announce({ phase: "idle" });
    } catch (error) {
      const revoked = error instanceof ApiError && ["device-revoked", "device-unknown"].includes(error.slug);
      if (revoked) await loseDevice(error.slug === "device-revoked");
      const problem = revoked ? "revoked" : error instanceof ApiError && error.status === 401 ? "signin" : error instanceof NetworkError || error?.transient ? "network" : "error";
      announce({ phase: "idle", problem, progress: null });
      if (problem === "network" || problem === "error") schedule();
    }
  });
}

function schedule() {
  attempt += 1;
  const delay = Math.random() * Math.min(60_000, 1000 * 2 ** attempt);
  timer = setTimeout(() => navigator.onLine && syncNow(), delay);
}

export function startSync() {
  // A link that comes back starts the backoff afresh: the failures counted while offline (every
  // move taken then tried at once) say nothing about the new link, and would hold a retry back
  // for up to a minute.
  window.addEventListener("online", () => {
    attempt = 0;
    syncNow();
  });
  if (navigator.onLine) syncNow();
}
