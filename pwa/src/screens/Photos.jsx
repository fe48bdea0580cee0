// The photos attached to one requirement: thumbnail, size, upload progress, remove.
import { useEffect, useState } from "preact/hooks";
import { t } from "../lib/i18n.js";
import { kilobytes } from "../lib/text.js";

function Thumb({ blob }) {
  const [url, setUrl] = useState(null);
  useEffect(() => {
    if (!blob || blob.type === "application/pdf") return undefined;
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  return url ? <img src={url} alt="" /> : null;
}

export function PhotoList({ photos, editable, onRemove }) {
  if (!photos.length) return null;
  return (
    <ul class="cards" style="border:0">
      {photos.map((photo, index) => (
        <li key={photo.id} class="photo" style="border:0">
          <Thumb blob={photo.blob} />
          <div class="grow">
            <span>{t("draft.photoReady", { n: index + 1, size: kilobytes(photo.size) })}</span>
            {photo.done ? (
              <span class="card-meta"> · {t("draft.uploaded")}</span>
            ) : (
              photo.progress > 0 && <progress max="1" value={photo.progress} aria-label={`${t("draft.uploading")} ${index + 1}`} />
            )}
          </div>
          {editable && !photo.done && (
            <button type="button" aria-label={t("draft.remove", { n: index + 1 })} onClick={() => onRemove(photo.id)}>
              ✕
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
