// Requests of the sync protocol (docs/sync.md): the officer's bearer token from the shared
// session, the device header, and binary chunk uploads. Problems come back as ApiError like
// the rest of the app; no answer at all is a NetworkError.
import { ApiError, NetworkError, request, session } from "../../lib/api.js";
import { kvGet } from "./store.js";

export { ApiError, NetworkError };

export async function deviceHeaders() {
  const device = await kvGet("device");
  return device ? { "X-Device-Id": device.device_id } : {};
}

/** A JSON request of the sync protocol, naming this device. */
export async function syncRequest(path, options = {}) {
  return request(`/sync${path}`, { ...options, headers: { ...(await deviceHeaders()), ...(options.headers ?? {}) } });
}

async function sendChunk(path, headers) {
  const auth = await session();
  try {
    return await fetch(`/api/v1/sync${path}`, { ...headers, headers: { ...headers.headers, Authorization: `Bearer ${auth?.access}` } });
  } catch {
    throw new NetworkError("offline");
  }
}

/** PATCHes one chunk; on 401 the token is refreshed once (through request) and it is sent again. */
export async function patchChunk(uploadId, offset, chunk, checksum) {
  const init = {
    method: "PATCH",
    body: chunk,
    headers: { ...(await deviceHeaders()), "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset), "Upload-Checksum": `sha256 ${checksum}`, Accept: "application/json" },
  };
  let response = await sendChunk(`/uploads/${uploadId}`, init);
  if (response.status === 401) {
    await syncRequest(`/uploads/${uploadId}`);
    response = await sendChunk(`/uploads/${uploadId}`, init);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export async function sha256Base64(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  let text = "";
  for (const byte of digest) text += String.fromCharCode(byte);
  return btoa(text);
}
