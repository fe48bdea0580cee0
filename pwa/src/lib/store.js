// What the phone keeps in IndexedDB: the session tokens, the drafts (with their photos as
// blobs) and the outbox state of each. Used by the page and by the service worker alike.
import { openDB } from "idb";

let dbPromise;

function db() {
  dbPromise ??= openDB("motcua", 1, {
    upgrade(database) {
      database.createObjectStore("kv");
      database.createObjectStore("drafts", { keyPath: "id" });
    },
  });
  return dbPromise;
}

export async function getValue(key) {
  return (await db()).get("kv", key);
}

export async function setValue(key, value) {
  return (await db()).put("kv", value, key);
}

export async function deleteValue(key) {
  return (await db()).delete("kv", key);
}

export async function getDraft(id) {
  return (await db()).get("drafts", id);
}

export async function putDraft(draft) {
  draft.updatedAt = Date.now();
  return (await db()).put("drafts", draft);
}

export async function deleteDraft(id) {
  return (await db()).delete("drafts", id);
}

export async function allDrafts() {
  const items = await (await db()).getAll("drafts");
  return items.sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function clearAll() {
  const database = await db();
  await database.clear("kv");
  await database.clear("drafts");
}
