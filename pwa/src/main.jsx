// The citizen's app: the shell (header with the inbox badge, tabs, offline notice), the
// routes, the language switch (the account's language adopted at sign-in), signing out (with
// a warning when applications wait on the phone), and the outbox started on every open.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { dropSession, request, session, setApiLanguage } from "./lib/api.js";
import { newDraft, startOutbox } from "./lib/drafts.js";
import { language, setLanguage, t } from "./lib/i18n.js";
import { go, parseRoute } from "./lib/router.js";
import { disablePush } from "./lib/push.js";
import { allDrafts, clearAll, deleteValue, getValue, putDraft, setValue } from "./lib/store.js";
import { Loading } from "./lib/ui.jsx";
import { Catalogue, Procedure } from "./screens/Catalogue.jsx";
import { Draft } from "./screens/Draft.jsx";
import { Inbox, InboxLink } from "./screens/Inbox.jsx";
import { Application, Mine } from "./screens/Mine.jsx";
import { Profile } from "./screens/Profile.jsx";
import { SignIn } from "./screens/SignIn.jsx";
import { SignOut, unsentDrafts } from "./screens/SignOut.jsx";
import { Track } from "./screens/Track.jsx";

function useRoute() {
  const [route, setRoute] = useState(parseRoute());
  useEffect(() => {
    const update = () => {
      setRoute(parseRoute());
      window.scrollTo(0, 0);
    };
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

/** "Apply": signed in, profile filled once, then a new draft on the phone. */
function StartDraft({ code, signedIn }) {
  useEffect(() => {
    const back = `#/p/${encodeURIComponent(code)}/apply`;
    if (!signedIn) return go(`#/signin?next=${encodeURIComponent(back)}`, { replace: true });
    (async () => {
      const profile = await request("/me/profile").catch(() => null);
      if (profile && !profile.profile_complete) return go(`#/profile?next=${encodeURIComponent(back)}`, { replace: true });
      const procedure = await request(`/procedures/${encodeURIComponent(code)}`);
      const draft = await newDraft(procedure);
      go(`#/d/${draft.id}`, { replace: true });
    })();
  }, [code, signedIn]);
  return <Loading />;
}

async function startSupplement(application) {
  const procedure = await request(`/procedures/${encodeURIComponent(application.procedure_code)}`);
  const missing = new Set(application.supplement_request.missing_documents.map((m) => m.requirement));
  const draft = {
    id: crypto.randomUUID(),
    key: crypto.randomUUID(),
    procedureCode: procedure.code,
    procedure: { ...procedure, form_fields: [], required_documents: procedure.required_documents.filter((d) => missing.has(d.code)).map((d) => ({ ...d, required: true })) },
    values: {},
    form: application.form,
    syncedForm: JSON.stringify(application.form),
    supplement: true,
    serverId: application.id,
    photos: [],
    state: "draft",
  };
  await putDraft(draft);
  go(`#/d/${draft.id}`);
}

function App() {
  const route = useRoute();
  const online = useOnline();
  const [lang, setLang] = useState(language());
  const [auth, setAuth] = useState(undefined);
  useEffect(() => {
    session().then((s) => setAuth(s ?? null));
  }, [route.hash]);

  useEffect(() => {
    // A tap on a notification while the app is open: the service worker asks for the screen.
    const open = (event) => event.data?.type === "open" && go(event.data.hash);
    navigator.serviceWorker?.addEventListener("message", open);
    return () => navigator.serviceWorker?.removeEventListener("message", open);
  }, []);

  async function applyLanguage(next) {
    setLanguage(next);
    setApiLanguage(next);
    setLang(next);
    await setValue("language", next);
  }

  async function switchLanguage() {
    const next = lang === "vi" ? "en" : "vi";
    await applyLanguage(next);
    // The account keeps the choice too (SMS and notifications follow it); offline it waits.
    // Chosen before signing in, it is given to the account at sign-in.
    if (auth) request("/me", { method: "PATCH", body: { language: next } }).catch(() => {});
    else await setValue("languageChosen", true);
  }

  /** After sign-in: the account's saved language, unless one was just chosen on this phone. */
  async function signedIn(next) {
    setAuth(await session());
    const me = await request("/me").catch(() => null);
    if (me && (await getValue("languageChosen"))) {
      if (me.language !== lang) await request("/me", { method: "PATCH", body: { language: lang } }).catch(() => {});
    } else if (me?.language && me.language !== lang) await applyLanguage(me.language);
    await deleteValue("languageChosen");
    if (next) go(next, { replace: true });
  }

  async function askSignOut() {
    if ((await unsentDrafts()).length) go("#/signout");
    else await signOut();
  }

  async function signOut() {
    // This phone stops receiving the account's notifications before the account leaves it.
    await disablePush({ evenOffline: true }).catch(() => {});
    await request("/auth/logout", { method: "POST", body: { refresh_token: auth.refresh } }).catch(() => {});
    await dropSession();
    await clearAll();
    navigator.serviceWorker?.controller?.postMessage({ type: "sign-out" });
    setAuth(null);
    go("#/", { replace: true });
  }

  const [first, second, third] = route.parts;
  const next = route.query.get("next") || "#/";
  let screen;
  if (auth === undefined) screen = <Loading />;
  else if (first === "p" && third === "apply") screen = <StartDraft code={second} signedIn={!!auth} />;
  else if (first === "p") screen = <Procedure code={second} />;
  else if (first === "signin") screen = <SignIn onSignedIn={() => signedIn(next)} />;
  else if (first === "profile") screen = auth ? <Profile onSaved={() => route.query.get("next") && go(next, { replace: true })} /> : <SignIn onSignedIn={() => signedIn(null)} />;
  else if (first === "notifications") screen = <Inbox signedIn={!!auth} />;
  else if (first === "signout") screen = auth ? <SignOut onConfirm={signOut} /> : <Catalogue />;
  else if (first === "d") screen = <Draft id={second} />;
  else if (first === "mine") screen = <Mine signedIn={!!auth} />;
  else if (first === "a") screen = <Application id={second} notification={route.query.get("n")} onSupplement={startSupplement} />;
  else if (first === "track") screen = <Track initial={second ?? ""} />;
  else screen = <Catalogue />;

  const tab = (hash, key, active) => (
    <a href={hash} aria-current={active ? "page" : undefined}>
      {t(key)}
    </a>
  );
  return (
    <>
      <header class="bar">
        <a class="brand" href="#/">
          {t("app.name")}
        </a>
        <span class="actions">
          {auth && <InboxLink refresh={route.hash} />}
          <button type="button" lang={lang === "vi" ? "en" : "vi"} title={t("lang.switchLabel")} onClick={switchLanguage}>
            {t("lang.switch")}
          </button>{" "}
          {auth && (
            <button type="button" onClick={askSignOut}>
              {t("signout")}
            </button>
          )}
        </span>
      </header>
      <nav class="tabs" aria-label={t("nav.main")}>
        {tab("#/", "nav.procedures", !first || first === "p")}
        {tab("#/mine", "nav.mine", ["mine", "a", "d"].includes(first))}
        {tab("#/track", "nav.track", first === "track")}
        {tab("#/profile", "nav.profile", first === "profile" || first === "signin")}
      </nav>
      {!online && (
        <p class="offline" role="status">
          {t("net.offline")}
        </p>
      )}
      <main id="main" class="main" key={route.hash}>
        {screen}
      </main>
    </>
  );
}

// The commune officer's app is a chunk of its own (pwa/src/officer), loaded only on its routes.
/* global __OFFICER_JS__ */
const OFFICER_ROUTE = /^#\/officer(\/|\?|$)/;
const officerMode = OFFICER_ROUTE.test(location.hash);
const loadChunk = (url) => import(url);
window.addEventListener("hashchange", () => OFFICER_ROUTE.test(location.hash) !== officerMode && location.reload());

async function boot() {
  const lang = (await getValue("language")) ?? "vi";
  setLanguage(lang);
  setApiLanguage(lang);
  const root = document.getElementById("app");
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
  if (officerMode) return (await loadChunk(__OFFICER_JS__)).mount(root);
  root.textContent = "";
  render(<App />, root);
  startOutbox();
}

boot();
