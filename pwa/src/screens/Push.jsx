// Push notifications from the citizen's side: the offer after a submission (with the reason
// it is asked now) and the switch in the settings.
import { useEffect, useState } from "preact/hooks";
import { NetworkError } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { declinePush, disablePush, enablePush, pushState, shouldOfferPush } from "../lib/push.js";
import { Notice } from "../lib/ui.jsx";

function failure(error) {
  return error instanceof NetworkError ? t("push.offline") : t("common.error");
}

/** Shown once, after the citizen's first submission; "not now" is remembered. */
export function PushOffer() {
  const [state, setState] = useState("hidden");
  const [error, setError] = useState(null);
  useEffect(() => {
    shouldOfferPush().then((offer) => offer && setState("offer"), () => {});
  }, []);
  if (state === "hidden") return null;
  if (state !== "offer") return <Notice>{t(state === "on" ? "push.on" : state === "denied" ? "push.denied" : "push.off")}</Notice>;

  async function accept() {
    try {
      setState(await enablePush());
    } catch (e) {
      setError(failure(e));
    }
  }

  async function decline() {
    await declinePush();
    setState("hidden");
  }

  return (
    <section class="notice ok" aria-labelledby="push-offer">
      <h2 id="push-offer">{t("push.offer.title")}</h2>
      <p>{t("push.offer.why")}</p>
      <p>{t("push.offer.promise")}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="primary" onClick={accept}>
        {t("push.offer.yes")}
      </button>
      <button type="button" class="secondary" onClick={decline}>
        {t("push.offer.no")}
      </button>
    </section>
  );
}

/** The settings' switch: on or off for this phone. */
export function PushSettings() {
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    pushState().then(setState, () => setState("unsupported"));
  }, []);
  if (!state) return null;

  async function change(job) {
    setBusy(true);
    setError(null);
    try {
      setState(await job());
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="push-settings">
      <h2 id="push-settings">{t("push.settings")}</h2>
      <p class="help">{t("push.settingsHelp")}</p>
      <p role="status">{t(`push.${state}`)}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {state === "on" && (
        <button type="button" class="secondary" disabled={busy} onClick={() => change(disablePush)}>
          {t("push.turnOff")}
        </button>
      )}
      {state === "off" && (
        <button type="button" class="secondary" disabled={busy} onClick={() => change(enablePush)}>
          {t("push.turnOn")}
        </button>
      )}
    </section>
  );
}
