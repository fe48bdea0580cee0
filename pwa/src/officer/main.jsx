// The commune officer's app: loaded only for staff (the citizen's bundle imports this chunk
// when the route is #/officer…), its own shell, routes and sync indicator.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { dropSession, request, session, setApiLanguage } from "../lib/api.js";
import { setValue } from "../lib/store.js";
import { Loading } from "../lib/ui.jsx";
import { language, setLanguage, t } from "./lib/i18n.js";
import { onSyncChange, startSync, syncNow } from "./lib/sync.js";
import { OFFICER_CSS } from "./screens/style.js";
import { Detail } from "./screens/Detail.jsx";
import { OfficerInbox, OfficerInboxLink } from "./screens/Inbox.jsx";
import { Intake } from "./screens/Intake.jsx";
import { Queue } from "./screens/Queue.jsx";
import { SignIn } from "./screens/SignIn.jsx";
import { Slip } from "./screens/Slip.jsx";
import { SyncIndicator, SyncScreen } from "./screens/Sync.jsx";

function parse() {
  const [path, query = ""] = location.hash.replace(/^#\/officer\/?/, "").split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query), hash: location.hash };
}

function App() {
  const [route, setRoute] = useState(parse());
  const [auth, setAuth] = useState(undefined);
  const [lang, setLang] = useState(language());
  useEffect(() => {
    const update = () => setRoute(parse());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  useEffect(() => {
    session().then((s) => setAuth(s?.kind === "staff" ? s : null));
  }, [route.hash]);
  // A revoked device ends the session (sync.js): back to the sign-in, which says why.
  useEffect(() => onSyncChange((state) => state.problem === "revoked" && setAuth(null)), []);

  async function switchLanguage() {
    const next = lang === "vi" ? "en" : "vi";
    setLanguage(next);
    setApiLanguage(next);
    setLang(next);
    await setValue("language", next);
  }

  async function signOut() {
    await request("/auth/logout", { method: "POST", body: { refresh_token: auth.refresh } }).catch(() => {});
    await dropSession(); // the outbox and the work set stay on the device for the next sign-in
    setAuth(null);
  }

  const [first, second, third] = route.parts;
  let screen;
  if (auth === undefined) screen = <Loading />;
  else if (!auth)
    screen = (
      <SignIn
        onSignedIn={() => {
          session().then(setAuth);
          syncNow();
        }}
      />
    );
  else if (first === "a" && third === "slip") screen = <Slip id={second} />;
  else if (first === "a") screen = <Detail id={second} />;
  else if (first === "intake") screen = <Intake />;
  else if (first === "sync") screen = <SyncScreen />;
  else if (first === "inbox") screen = <OfficerInbox />;
  else screen = <Queue query={route.query} />;
  const slip = first === "a" && third === "slip";

  const tab = (hash, key, active) => (
    <a href={hash} aria-current={active ? "page" : undefined}>
      {t(key)}
    </a>
  );
  return (
    <>
      <header class="bar officer-bar no-print">
        <a class="brand" href="#/officer">
          {t("officer.brand")}
        </a>
        <span class="bar-actions">
          {auth && <OfficerInboxLink />}
          <button type="button" lang={lang === "vi" ? "en" : "vi"} title={t("lang.switchLabel")} onClick={switchLanguage}>
            {t("lang.switch")}
          </button>
          {auth && (
            <button type="button" onClick={signOut}>
              {t("signout")}
            </button>
          )}
        </span>
      </header>
      {auth && (
        <nav class="tabs no-print" aria-label={t("nav.main")}>
          {tab("#/officer", "officer.nav.queue", !first || first === "a")}
          {tab("#/officer/intake", "officer.nav.intake", first === "intake")}
          {tab("#/officer/sync", "officer.nav.sync", first === "sync")}
        </nav>
      )}
      {auth && <SyncIndicator />}
      <main id="main" class={slip ? "main slip-page" : "main officer"} key={route.hash}>
        {screen}
      </main>
    </>
  );
}

export function mount(root) {
  const style = document.createElement("style");
  style.textContent = OFFICER_CSS;
  document.head.append(style);
  document.title = t("officer.title");
  root.textContent = "";
  render(<App />, root);
  startSync();
}
