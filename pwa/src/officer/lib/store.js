// What the officer's device keeps in its own IndexedDB database (apart from the citizen's, so
// signing a citizen out never touches it): the device and its receipt blocks, the pulled work
// set, the outbox of commands taken here (in the order they were taken), the photos they need,
// and the conflicts waiting for the officer.
import { openDB } from "idb";

let dbPromise;

function db() {
  dbPromise ??= openDB("motcua-officer", 1, {
    upgrade(database) {
      database.createObjectStore("kv");
      database.createObjectStore("apps", { keyPath: "id" });
      database.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      database.createObjectStore("uploads", { keyPath: "upload_id" });
      database.createObjectStore("conflicts", { keyPath: "command_id" });
      database.createObjectStore("intakes", { keyPath: "ref" });
    },
  });
  return dbPromise;
}

export async function kvGet(key) {
  return (await db()).get("kv", key);
}

export async function kvSet(key, value) {
  return (await db()).put("kv", value, key);
}

export async function kvDelete(key) {
  return (await db()).delete("kv", key);
}

export async function getAll(store) {
  return (await db()).getAll(store);
}

export async function get(store, key) {
  return (await db()).get(store, key);
}

export async function put(store, value) {
  return (await db()).put(store, value);
}

export async function remove(store, key) {
  return (await db()).delete(store, key);
}

export async function count(store) {
  return (await db()).count(store);
}

/** Replaces a pulled application when the version received is newer than the one held, or
 * as new as a local copy's (the server has applied what the copy showed as waiting). */
export async function saveApplications(items) {
  const tx = (await db()).transaction("apps", "readwrite");
  for (const item of items) {
    const held = await tx.store.get(item.id);
    if (!held || held.version < item.version || (held.local && held.version === item.version)) await tx.store.put(item);
  }
  await tx.done;
}

export async function clearWorkSet() {
  await (await db()).clear("apps");
}
