// "My applications": what waits on this phone (drafts, the outbox) and what the server holds,
// and one application's status, timeline, due date and what to do next (the documents asked
// for by name).
import { useEffect, useState } from "preact/hooks";
import { allPages, request } from "../lib/api.js";
import { formatDate, pick, statusText, t } from "../lib/i18n.js";
import { markRead } from "../lib/inbox.js";
import { allDrafts } from "../lib/store.js";
import { LoadError, Loading, Notice, useLoad } from "../lib/ui.jsx";

function useLocalDrafts() {
  const [drafts, setDrafts] = useState([]);
  useEffect(() => {
    const load = () => allDrafts().then((all) => setDrafts(all.filter((d) => d.state !== "sent")));
    load();
    window.addEventListener("outbox", load);
    return () => window.removeEventListener("outbox", load);
  }, []);
  return drafts;
}

export function Mine({ signedIn }) {
  const drafts = useLocalDrafts();
  const server = useLoad(() => (signedIn ? allPages("/applications") : Promise.resolve(null)), [signedIn]);
  return (
    <section>
      <h1>{t("mine.title")}</h1>
      {drafts.length > 0 && (
        <>
          <h2>{t("mine.onPhone")}</h2>
          <ul class="cards">
            {drafts.map((d) => (
              <li key={d.id}>
                <a href={`#/d/${d.id}`}>
                  <span class="card-title">{pick(d.procedure, "name")}</span>
                  <span class="card-meta">{t(`mine.state.${d.state}`)}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t("mine.onServer")}</h2>
      {!signedIn && <p>{t("mine.signin")}</p>}
      {server.loading && signedIn && !server.data && <Loading />}
      {server.error && <LoadError error={server.error} onRetry={server.reload} />}
      {server.data && server.data.length === 0 && <p>{t("mine.none")}</p>}
      {server.data && (
        <ul class="cards">
          {server.data.map((a) => (
            <li key={a.id}>
              <a href={`#/a/${a.id}`}>
                <span class="card-title">{pick(a, "procedure_name")}</span>
                <span class="card-meta">
                  {a.receipt_code ?? ""} · <span class="status">{statusText(a.status)}</span>
                  {a.due_date && ` · ${t("app.due")}: ${formatDate(a.due_date)}`}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The names of a procedure's documents by code (the catalogue is cached for offline use). */
function useDocumentNames(procedureCode) {
  const { data } = useLoad(() => (procedureCode ? request(`/procedures/${encodeURIComponent(procedureCode)}`) : Promise.resolve(null)), [procedureCode]);
  const names = {};
  for (const doc of data?.required_documents ?? []) names[doc.code] = pick(doc, "name");
  return names;
}

export function Application({ id, notification, onSupplement }) {
  const { data: a, error, reload } = useLoad(() => request(`/applications/${id}`), [id]);
  const names = useDocumentNames(a?.supplement_request ? a.procedure_code : null);
  useEffect(() => {
    // Opened from a notification: it has been read.
    if (notification) markRead([notification]).catch(() => {});
  }, [notification]);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!a) return <Loading />;
  const asked = a.status === "supplement_requested" ? a.supplement_request : null;
  return (
    <article>
      <h1>{pick(a, "procedure_name")}</h1>
      <dl class="facts">
        <dt>{t("app.receipt")}</dt>
        <dd>{a.receipt_code ?? "—"}</dd>
        <dt>{t("app.status")}</dt>
        <dd>
          <span class="status">{statusText(a.status)}</span>
        </dd>
        {a.due_date && (
          <>
            <dt>{t("app.due")}</dt>
            <dd>{formatDate(a.due_date)}</dd>
          </>
        )}
        <dt>{t("app.unit")}</dt>
        <dd>{pick(a, "unit_name")}</dd>
      </dl>
      <h2>{t("app.next")}</h2>
      {asked ? (
        <Notice kind="warn">
          <p>{t("app.next.supplement")}</p>
          {asked.note && <p>{asked.note}</p>}
          <ul>
            {asked.missing_documents.map((m) => (
              <li key={m.requirement}>
                <strong>{names[m.requirement] ?? m.requirement}</strong>: {m.reason}
              </li>
            ))}
          </ul>
          <button type="button" class="primary" onClick={() => onSupplement(a)}>
            {t("app.supplement")}
          </button>
        </Notice>
      ) : (
        <p>{t("app.next.none")}</p>
      )}
      <h2>{t("app.timeline")}</h2>
      <ol class="timeline">
        {a.timeline.map((entry) => (
          <li key={entry.at}>
            <strong>{statusText(entry.status)}</strong> — {formatDate(entry.at)}
            {entry.note && <p class="help">{entry.note}</p>}
          </li>
        ))}
      </ol>
    </article>
  );
}
