// The inbox: what the server told the citizen about their applications, newest first, with
// unread ones marked; more pages on request; one or all marked read. The header's badge
// counts the unread ones.
import { useEffect, useState } from "preact/hooks";
import { NetworkError } from "../lib/api.js";
import { formatDate, t } from "../lib/i18n.js";
import { inboxPage, markRead, unreadCount } from "../lib/inbox.js";
import { LoadError, Loading, Notice } from "../lib/ui.jsx";

export function InboxLink({ refresh }) {
  const [count, setCount] = useState("");
  useEffect(() => {
    let live = true;
    const load = () => unreadCount().then((n) => live && setCount(n), () => {});
    load();
    window.addEventListener("inbox", load);
    const fromWorker = (event) => event.data?.type === "push" && load();
    navigator.serviceWorker?.addEventListener("message", fromWorker);
    return () => {
      live = false;
      window.removeEventListener("inbox", load);
      navigator.serviceWorker?.removeEventListener("message", fromWorker);
    };
  }, [refresh]);
  return (
    <a class="inbox-link" href="#/notifications" aria-label={count ? t("inbox.linkUnread", { n: count }) : t("inbox.link")}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
        <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.8V3a1.5 1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
      </svg>
      {count && <span class="badge" aria-hidden="true">{count}</span>}
    </a>
  );
}

export function Inbox({ signedIn }) {
  const [items, setItems] = useState(null);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!signedIn) return;
    inboxPage().then(
      (page) => (setItems(page.items), setNext(page.next_cursor), setError(null)),
      (e) => setError(e),
    );
  }, [signedIn, tick]);

  if (!signedIn) return <p>{t("inbox.signin")}</p>;
  if (error && !items) return <LoadError error={error} onRetry={() => setTick(tick + 1)} />;
  if (!items) return <Loading />;

  async function more() {
    try {
      const page = await inboxPage(next);
      setItems([...items, ...page.items]);
      setNext(page.next_cursor);
    } catch (e) {
      setNotice(e instanceof NetworkError ? t("common.offlineNoData") : t("common.error"));
    }
  }

  async function read(ids) {
    try {
      await markRead(ids);
      const now = new Date().toISOString();
      setItems(items.map((n) => (!ids || ids.includes(n.id) ? { ...n, read_at: n.read_at ?? now } : n)));
      setNotice(ids ? null : t("inbox.allRead"));
    } catch (e) {
      setNotice(e instanceof NetworkError ? t("inbox.offline") : t("common.error"));
    }
  }

  const unread = items.some((n) => !n.read_at);
  return (
    <section>
      <h1>{t("inbox.title")}</h1>
      {notice && <Notice kind="warn">{notice}</Notice>}
      {items.length === 0 && <p>{t("inbox.none")}</p>}
      {unread && (
        <button type="button" class="secondary" onClick={() => read(null)}>
          {t("inbox.markAll")}
        </button>
      )}
      <ul class="cards inbox">
        {items.map((n) => (
          <li key={n.id} class={n.read_at ? "" : "unread"}>
            <a href={`#/a/${n.application_id}?n=${n.id}`}>
              {!n.read_at && <span class="unread-mark">{t("inbox.unread")}</span>}
              <span class="card-title">{n.title}</span>
              <span class="card-body">{n.body}</span>
              <span class="card-meta">{formatDate(n.created_at)}</span>
            </a>
            {!n.read_at && (
              <button type="button" class="link" aria-label={t("inbox.markReadOne", { title: n.title })} onClick={() => read([n.id])}>
                {t("inbox.markRead")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" class="secondary" onClick={more}>
          {t("inbox.more")}
        </button>
      )}
    </section>
  );
}
