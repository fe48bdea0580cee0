// Public tracking by receipt code: no sign-in needed.
import { useState } from "preact/hooks";
import { ApiError, request } from "../lib/api.js";
import { formatDate, pick, t } from "../lib/i18n.js";
import { Field, Notice } from "../lib/ui.jsx";

export function Track({ initial = "" }) {
  const [code, setCode] = useState(initial);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);

  async function look(event) {
    event.preventDefault();
    setError(null);
    setResult(null);
    try {
      setResult(await request(`/track/${encodeURIComponent(code.trim())}`, { auth: false }));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t("track.notFound") : e.message || t("common.error"));
    }
  }

  return (
    <section>
      <h1>{t("track.title")}</h1>
      <form onSubmit={look} noValidate>
        <Field label={t("track.code")} required error={error}>
          {(props) => <input {...props} value={code} autoCapitalize="characters" onInput={(e) => setCode(e.currentTarget.value)} />}
        </Field>
        <button class="primary" type="submit">
          {t("track.go")}
        </button>
      </form>
      {result && (
        <Notice>
          <p>
            <strong>{pick(result.procedure, "name")}</strong> · {result.receipt_code}
          </p>
          <p>
            <strong>{t("app.status")}:</strong> {pick(result, "status_label")}
          </p>
          {result.due_date && (
            <p>
              <strong>{t("app.due")}:</strong> {formatDate(result.due_date)}
            </p>
          )}
          <ol class="timeline">
            {result.timeline.map((entry) => (
              <li key={entry.at}>
                {pick(entry, "label")} — {formatDate(entry.at)}
              </li>
            ))}
          </ol>
        </Notice>
      )}
    </section>
  );
}
