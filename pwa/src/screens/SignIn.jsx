// Sign in by phone and a one-time code: six boxes that take typing, paste and the SMS
// autofill (autocomplete="one-time-code" on the first box).
import { useRef, useState } from "preact/hooks";
import { ApiError, NetworkError, request, saveSession } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { normaliseMobile } from "../lib/rules.js";
import { Field, Notice } from "../lib/ui.jsx";

export function SignIn({ onSignedIn }) {
  const [phone, setPhone] = useState("");
  const [sentTo, setSentTo] = useState(null);
  const [devCode, setDevCode] = useState(null);
  const [digits, setDigits] = useState(["", "", "", "", "", ""]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const boxes = useRef([]);

  const explain = (e) => setError(e instanceof NetworkError ? t("signin.offline") : e instanceof ApiError ? e.message : t("common.error"));

  async function sendCode(event) {
    event.preventDefault();
    const normalised = normaliseMobile(phone);
    if (!normalised) return setError(t("signin.phoneInvalid"));
    setBusy(true);
    setError(null);
    try {
      const sent = await request("/auth/otp", { method: "POST", body: { phone: normalised }, auth: false });
      setDevCode(sent.dev_code ?? null);
      setSentTo(normalised);
      setTimeout(() => boxes.current[0]?.focus(), 0);
    } catch (e) {
      explain(e);
    } finally {
      setBusy(false);
    }
  }

  function fillFrom(index, text) {
    const next = [...digits];
    const incoming = text.replace(/\D/g, "").slice(0, 6 - index).split("");
    if (!incoming.length) {
      next[index] = "";
      setDigits(next);
      return;
    }
    incoming.forEach((d, k) => {
      next[index + k] = d;
    });
    setDigits(next);
    boxes.current[Math.min(index + incoming.length, 5)]?.focus();
  }

  async function verify(event) {
    event.preventDefault();
    const code = digits.join("");
    if (code.length !== 6) return setError(t("signin.code"));
    setBusy(true);
    setError(null);
    try {
      const pair = await request("/auth/otp/verify", { method: "POST", body: { phone: sentTo, code }, auth: false });
      await saveSession(pair);
      onSignedIn(pair.account);
    } catch (e) {
      explain(e);
    } finally {
      setBusy(false);
    }
  }

  if (!sentTo) {
    return (
      <form onSubmit={sendCode} noValidate>
        <h1>{t("signin.title")}</h1>
        <p>{t("signin.intro")}</p>
        <Field label={t("signin.phone")} required error={error}>
          {(props) => <input {...props} type="tel" inputMode="tel" autoComplete="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />}
        </Field>
        <button class="primary" type="submit" disabled={busy}>
          {t("signin.send")}
        </button>
      </form>
    );
  }
  return (
    <form onSubmit={verify} noValidate>
      <h1>{t("signin.title")}</h1>
      <Notice>
        <p>{t("signin.codeSent", { phone: sentTo })}</p>
        {devCode && <p>{t("signin.devCode", { code: devCode })}</p>}
      </Notice>
      <fieldset style="border:0;padding:0;margin:0">
        <legend class="label">{t("signin.code")}</legend>
        <div class="otp">
          {digits.map((digit, index) => (
            <input
              key={index}
              ref={(el) => (boxes.current[index] = el)}
              aria-label={t("signin.codeDigit", { n: index + 1 })}
              inputMode="numeric"
              autoComplete={index === 0 ? "one-time-code" : "off"}
              maxLength={index === 0 ? 6 : 1}
              value={digit}
              onInput={(e) => fillFrom(index, e.currentTarget.value)}
              onPaste={(e) => {
                e.preventDefault();
                fillFrom(index, e.clipboardData.getData("text"));
              }}
              onKeyDown={(e) => e.key === "Backspace" && !digit && index > 0 && boxes.current[index - 1].focus()}
            />
          ))}
        </div>
      </fieldset>
      {error && <p class="error" role="alert">{error}</p>}
      <button class="primary" type="submit" disabled={busy}>
        {t("signin.verify")}
      </button>
      <button class="secondary" type="button" onClick={() => setSentTo(null)}>
        {t("signin.changePhone")}
      </button>
    </form>
  );
}
