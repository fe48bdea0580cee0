// Signing out deletes what is on the phone; when applications wait there (unsent drafts, the
// outbox), the citizen is told first, and nothing is deleted unless they confirm.
import { useEffect, useState } from "preact/hooks";
import { pick, t } from "../lib/i18n.js";
import { allDrafts } from "../lib/store.js";
import { go } from "../lib/router.js";
import { Notice } from "../lib/ui.jsx";

export async function unsentDrafts() {
  return (await allDrafts()).filter((d) => d.state !== "sent");
}

export function SignOut({ onConfirm }) {
  const [unsent, setUnsent] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    unsentDrafts().then(setUnsent);
  }, []);
  if (!unsent) return null;
  return (
    <section>
      <h1>{t("signout.title")}</h1>
      {unsent.length ? (
        <Notice kind="warn">
          <p>{t("signout.pending", { n: unsent.length })}</p>
          <ul>
            {unsent.map((d) => (
              <li key={d.id}>
                <a href={`#/d/${d.id}`}>{pick(d.procedure, "name")}</a> — {t(`mine.state.${d.state}`)}
              </li>
            ))}
          </ul>
        </Notice>
      ) : (
        <p>{t("signout.plain")}</p>
      )}
      <button type="button" class="primary" onClick={() => go("#/mine")}>
        {t("signout.keep")}
      </button>
      <button
        type="button"
        class="secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          onConfirm();
        }}
      >
        {unsent.length ? t("signout.confirm") : t("signout")}
      </button>
    </section>
  );
}
