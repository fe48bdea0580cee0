// The officer's own notifications, read from the device (the pull keeps them, docs/sync.md §2),
// so they open offline too; newest first, unread ones marked. Marking read goes to the server
// (online) and comes back to every device of the officer through the pull.
import { useEffect, useState } from "preact/hooks";
import { request } from "../../lib/api.js";
import { LoadError, Loading, Notice } from "../../lib/ui.jsx";
import { t } from "../lib/i18n.js";
import { getAll } from "../lib/store.js";
import { onSyncChange, syncNow } from "../lib/sync.js";
import { useSyncStatus } from "./Sync.jsx";

/** The header's bell with the number of unread notifications held on the device. */
export function OfficerInboxLink() {
  const status = useSyncStatus();
  const count = status?.unread || 0;
  return (
    <a class="inbox-link" href="#/officer/inbox" aria-label={count ? t("officer.inbox.linkUnread", { n: count }) : t("officer.inbox.link")} data-testid="officer-inbox-link">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
        <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.8V3a1.5 1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
      </svg>
      {count > 0 && (
        <span class="badge" aria-hidden="true">
          {count}
        </span>
      )}
    </a>
  );
}

export function OfficerInbox() {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  useEffect(() => {
    const load = () =>
      getAll("notifications").then(
        (all) => setItems(all.sort((a, b) => b.created_at.localeCompare(a.created_at))),
        (e) => setError(e),
      );
    load();
    return onSyncChange(load);
  }, []);
  if (error) return <LoadError error={error} onRetry={() => location.reload()} />;
  if (!items) return <Loading />;
  const unread = items.filter((n) => !n.read_at);

  async function markAllRead() {
    setNotice(null);
    try {
      await request("/me/notifications/read", { method: "POST", body: { all: true } });
      await syncNow(); // the read marks come back through the pull
    } catch (e) {
      setNotice(e.message || t("common.error"));
    }
  }

  return (
    <>
      <h1>{t("officer.inbox.title")}</h1>
      <p class="help">{t("officer.inbox.intro")}</p>
      <p role="status">{t("officer.inbox.unread", { n: unread.length })}</p>
      {unread.length > 0 &&
        (navigator.onLine ? (
          <button type="button" class="secondary" onClick={markAllRead}>
            {t("officer.inbox.markAll")}
          </button>
        ) : (
          <p class="help">{t("officer.inbox.markOffline")}</p>
        ))}
      {notice && <Notice kind="bad">{notice}</Notice>}
      {!items.length && <p>{t("officer.inbox.empty")}</p>}
      <ul class="cards officer-inbox">
        {items.map((n) => (
          <li key={n.id} class={n.read_at ? "read" : "unread"} data-testid="officer-notification">
            <p>
              <strong>{n.title}</strong> {!n.read_at && <span class="unread-mark">{t("officer.inbox.new")}</span>}
            </p>
            <p>{n.body}</p>
            <p class="card-meta">
              {new Date(n.created_at).toLocaleString()}
              {n.application_id && (
                <>
                  {" · "}
                  <a href={`#/officer/a/${n.application_id}`}>{n.receipt_code ?? t("officer.inbox.open")}</a>
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
