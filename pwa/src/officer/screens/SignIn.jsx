// Staff sign-in with username and password. On a revoked device it says so: the outbox waits
// for this sign-in, which registers the new device that carries it.
import { useEffect, useState } from "preact/hooks";
import { ApiError, NetworkError, request, saveSession } from "../../lib/api.js";
import { getValue, setValue } from "../../lib/store.js";
import { Field, Notice } from "../../lib/ui.jsx";
import { t } from "../lib/i18n.js";
import { count, kvGet } from "../lib/store.js";
import { replaceRevokedDevice } from "../lib/sync.js";

export function SignIn({ onSignedIn }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [revoked, setRevoked] = useState(null);
  useEffect(() => {
    (async () => (await kvGet("device"))?.revoked && setRevoked({ waiting: await count("outbox") }))();
  }, []);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pair = await request("/auth/login", { method: "POST", body: { username, password }, auth: false });
      if (pair.account.kind !== "staff") throw new ApiError(403, { detail: t("officer.signin.notStaff") });
      await saveSession(pair);
      await setValue("auth", { ...(await getValue("auth")), kind: "staff", role: pair.account.role, unitCode: pair.account.unit_code });
      await replaceRevokedDevice();
      onSignedIn();
    } catch (e) {
      setError(e instanceof NetworkError ? t("officer.signin.offline") : e.message || t("common.error"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <h1>{t("officer.signin.title")}</h1>
      {revoked && (
        <Notice kind="bad">
          <span data-testid="device-revoked">{t("officer.signin.revoked", { n: revoked.waiting })}</span>
        </Notice>
      )}
      <Field label={t("officer.signin.username")} required>
        {(props) => <input {...props} autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />}
      </Field>
      <Field label={t("officer.signin.password")} required>
        {(props) => <input {...props} type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
      </Field>
      {error && <Notice kind="bad">{error}</Notice>}
      <button class="primary" type="submit" disabled={busy}>
        {t("officer.signin.submit")}
      </button>
    </form>
  );
}
