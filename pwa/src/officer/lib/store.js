// What the officer's device keeps in its own IndexedDB database (apart from the citizen's, so
// signing a citizen out never touches it): the device and its receipt blocks, the pulled work
// set, the outbox of commands taken here (in the order they were taken), the photos they need,
// the conflicts waiting for the officer, and the officer's own notifications (pulled).
import { openDB } from "idb";

let dbPromise;

function db() {
  dbPromise ??= openDB("motcua-officer", 2, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore("kv");
        database.createObjectStore("apps", { keyPath: "id" });
        database.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        database.createObjectStore("uploads", { keyPath: "upload_id" });
        database.createObjectStore("conflicts", { keyPath: "command_id" });
        database.createObjectStore("intakes", { keyPath: "ref" });
      }
      if (oldVersion < 2) database.createObjectStore("notifications", { keyPath: "id" });
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

/** Replaces a held application when the version received is not lower than the one held
 * (docs/sync.md §2): a lease taken or ended comes again with the same version and its new
 * `lease`, and a local copy as new as the server's record was applied by the server. A local
 * copy ahead of the server (a move still waiting) stays. */
export async function saveApplications(items) {
  const tx = (await db()).transaction("apps", "readwrite");
  for (const item of items) {
    const held = await tx.store.get(item.id);
    if (!held || held.version <= item.version) await tx.store.put(item);
  }
  await tx.done;
}

/** The pulled notifications, each replacing its copy by id (a read mark arrives this way). */
export async function saveNotifications(items) {
  const tx = (await db()).transaction("notifications", "readwrite");
  for (const item of items) await tx.store.put(item);
  await tx.done;
}

export async function clearWorkSet() {
  await (await db()).clear("apps");
  await (await db()).clear("notifications");
}
