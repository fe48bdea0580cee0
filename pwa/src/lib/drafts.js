// Drafts on the phone and the page's side of the outbox: start a draft, queue it, and send
// the queue now, when the connection returns, on the next open and by Background Sync.
import { flush } from "./outbox.js";
import { allDrafts, putDraft } from "./store.js";

export async function newDraft(procedure) {
  const draft = {
    id: crypto.randomUUID(),
    key: crypto.randomUUID(),
    procedureCode: procedure.code,
    procedure,
    values: {},
    photos: [],
    state: "draft",
  };
  await putDraft(draft);
  return draft;
}

/** The latest state of a draft reaches the screens as an `outbox` event on window. */
export function announce(item) {
  window.dispatchEvent(new CustomEvent("outbox", { detail: item }));
}

let timer = null;
let delay = 2000;

export async function sendQueue() {
  clearTimeout(timer);
  if (!navigator.onLine) return;
  await flush(announce);
  const waiting = (await allDrafts()).some((d) => d.state === "queued");
  if (waiting) {
    // The connection is up but the server did not answer: try again, less and less often.
    timer = setTimeout(sendQueue, delay);
    delay = Math.min(delay * 2, 60_000);
  } else delay = 2000;
}

export async function queue(draft) {
  draft.state = "queued";
  draft.problem = null;
  await putDraft(draft);
  announce(draft);
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register("outbox");
  } catch {
    // No Background Sync here: `online` and the next open send the queue.
  }
  delay = 2000;
  return sendQueue();
}

export function startOutbox() {
  window.addEventListener("online", () => {
    delay = 2000;
    sendQueue();
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "outbox") allDrafts().then((all) => all.filter((d) => d.id === event.data.id).forEach(announce));
  });
  sendQueue();
}
