// Small building blocks shared by the screens: labelled fields whose errors are announced,
// notices, and a loader hook that tells "offline, nothing cached" from other failures.
import { useEffect, useState } from "preact/hooks";
import { NetworkError } from "./api.js";
import { t } from "./i18n.js";

let nextId = 0;
export function useId(prefix = "f") {
  const [id] = useState(() => `${prefix}${++nextId}`);
  return id;
}

export function Field({ label, required, error, help, children }) {
  const id = useId();
  const described = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>
        {label} {required && <span class="sr-only">{t("common.required")}</span>}
        {required && <span aria-hidden="true">*</span>}
      </label>
      {children({ id, "aria-invalid": error ? "true" : undefined, "aria-describedby": described, "aria-required": required ? "true" : undefined })}
      {help && <p class="help" id={`${id}-help`}>{help}</p>}
      {error && <p class="error" id={`${id}-error`} role="alert">{error}</p>}
    </div>
  );
}

export function Notice({ kind = "ok", children }) {
  return (
    <div class={`notice ${kind}`} role={kind === "bad" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** Loads with `load()` whenever `deps` change: { data, error, loading, reload }. */
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function LoadError({ error, onRetry }) {
  const text = error instanceof NetworkError ? t("common.offlineNoData") : error?.message || t("common.error");
  return (
    <Notice kind="bad">
      <p>{text}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </Notice>
  );
}

export function Loading() {
  return <p role="status">{t("common.loading")}</p>;
}
