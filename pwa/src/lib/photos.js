// Photos are made small on the phone before they travel: long side at most 1600 px, JPEG,
// quality lowered step by step until the file is under ~400 KB (text on a paper stays legible).
const LONG_SIDE = 1600;
const TARGET_BYTES = 400 * 1024;
const QUALITIES = [0.82, 0.72, 0.62, 0.52];

function toBlob(canvas, quality) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A resized JPEG of an image file, with its size and SHA-256; PDFs pass unchanged. */
export async function preparePhoto(file) {
  if (file.type === "application/pdf") {
    return { blob: file, type: file.type, size: file.size, sha256: await sha256Hex(file) };
  }
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(width, height) : Object.assign(document.createElement("canvas"), { width, height });
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  let blob;
  for (const quality of QUALITIES) {
    blob = await toBlob(canvas, quality);
    if (blob.size <= TARGET_BYTES) break;
  }
  return { blob, type: "image/jpeg", size: blob.size, sha256: await sha256Hex(blob), width, height };
}

/** Sends a presigned POST form with the file last; reports progress (0..1) where it can. */
export function postForm(ticket, blob, onProgress = () => {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) body.append(name, value);
  body.append("file", blob);
  if (typeof XMLHttpRequest === "undefined") {
    return fetch(ticket.upload_url, { method: "POST", body }).then(
      (response) => {
        if (!response.ok) throw Object.assign(new Error(`storage answered ${response.status}`), { storage: response.status });
        onProgress(1);
      },
      () => {
        throw Object.assign(new Error("offline"), { network: true });
      },
    );
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", ticket.upload_url);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(Object.assign(new Error(`storage answered ${xhr.status}`), { storage: xhr.status }));
    };
    xhr.onerror = () => reject(Object.assign(new Error("offline"), { network: true }));
    xhr.send(body);
  });
}
