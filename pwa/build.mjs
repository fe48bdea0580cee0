// Builds the citizen app into dist/: content-hashed assets under assets/ (served immutable),
// index.html, the manifest and the service worker at the root (served revalidated).
// Prints the gzipped size of what a first visit downloads; build-report.json records it for the
// budget test (tests/browser/test_budget.py).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { parse as parseToml } from "smol-toml";
import { VI } from "./src/i18n/vi.js";
import { drawIcon } from "./tools/png.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = join(HERE, "src");
const OUT = join(HERE, "dist");
const ASSETS = join(OUT, "assets");
export const JS_BUDGET_GZIP = 100 * 1024;

const hash = (buf) => createHash("sha256").update(buf).digest("hex").slice(0, 10);
const gz = (buf) => gzipSync(buf, { level: 9 }).length;

function emitAsset(name, ext, content) {
  const file = `${name}-${hash(content)}.${ext}`;
  writeFileSync(join(ASSETS, file), content);
  return `/assets/${file}`;
}

// The form validator's messages come from the server's catalogue: one text, two readers.
function formMessagesPlugin() {
  return {
    name: "form-messages",
    setup(build) {
      build.onResolve({ filter: /^virtual:form-messages$/ }, () => ({
        path: "form-messages",
        namespace: "virtual",
      }));
      build.onLoad({ filter: /.*/, namespace: "virtual" }, () => {
        const read = (name) => parseToml(readFileSync(join(HERE, "..", "api", "messages", name), "utf8"));
        const toml = { forms: read("forms.toml"), statuses: read("statuses.toml") };
        return { contents: JSON.stringify(toml), loader: "json" };
      });
    },
  };
}

async function bundle(entry, extra = {}) {
  const result = await esbuild.build({
    entryPoints: [join(SRC, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    target: ["chrome90", "safari15", "firefox90"],
    write: false,
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    plugins: [formMessagesPlugin()],
    ...extra,
  });
  return Buffer.from(result.outputFiles[0].contents);
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(ASSETS, { recursive: true });

  const icons = {
    any192: emitAsset("icon-192", "png", drawIcon(192, false)),
    any512: emitAsset("icon-512", "png", drawIcon(512, false)),
    maskable192: emitAsset("icon-maskable-192", "png", drawIcon(192, true)),
    maskable512: emitAsset("icon-maskable-512", "png", drawIcon(512, true)),
  };
  const css = readFileSync(join(SRC, "app.css"));
  const cssUrl = emitAsset("app", "css", (await esbuild.transform(css, { loader: "css", minify: true })).code);
  const officerBuf = await bundle("officer/main.jsx");
  const officerUrl = emitAsset("officer", "js", officerBuf);
  const jsBuf = await bundle("main.jsx", { define: { __OFFICER_JS__: JSON.stringify(officerUrl) } });
  const jsUrl = emitAsset("app", "js", jsBuf);

  const manifest = JSON.parse(readFileSync(join(SRC, "manifest.webmanifest"), "utf8"));
  manifest.icons = [
    { src: icons.any192, sizes: "192x192", type: "image/png", purpose: "any" },
    { src: icons.any512, sizes: "512x512", type: "image/png", purpose: "any" },
    { src: icons.maskable192, sizes: "192x192", type: "image/png", purpose: "maskable" },
    { src: icons.maskable512, sizes: "512x512", type: "image/png", purpose: "maskable" },
  ];
  writeFileSync(join(OUT, "manifest.webmanifest"), JSON.stringify(manifest, null, 2));

  const html = readFileSync(join(SRC, "index.html"), "utf8")
    .replace("%CSS%", cssUrl)
    .replace("%JS%", jsUrl)
    .replace("%ICON%", icons.any192);
  writeFileSync(join(OUT, "index.html"), html);

  // The shell the service worker keeps: everything a cold offline start needs.
  const shell = ["/", "/manifest.webmanifest", jsUrl, cssUrl, ...Object.values(icons)];
  const version = hash(Buffer.from(shell.join("\n") + html));
  const swBuf = await bundle("sw.js", {
    // The worker's one text of its own (a notification without a title) from the catalogue.
    define: { __SHELL__: JSON.stringify(shell), __VERSION__: JSON.stringify(version), __APP_NAME__: JSON.stringify(VI["app.name"]) },
  });
  writeFileSync(join(OUT, "sw.js"), swBuf);

  const firstVisitJs = gz(jsBuf) + gz(swBuf);
  const report = {
    version,
    js: [jsUrl, "/sw.js"],
    css: [cssUrl],
    first_visit_js_gzip: firstVisitJs,
    first_visit_css_gzip: gz(Buffer.from(readFileSync(join(OUT, cssUrl.slice(1))))),
    js_budget_gzip: JS_BUDGET_GZIP,
    officer_js: officerUrl,
    officer_js_gzip: gz(officerBuf),
  };
  writeFileSync(join(HERE, "build-report.json"), JSON.stringify(report, null, 2));
  const kb = (n) => (n / 1024).toFixed(1) + " KB";
  console.log(
    `first visit: JS ${kb(firstVisitJs)} gzipped (app ${kb(gz(jsBuf))} + service worker ` +
      `${kb(gz(swBuf))}; budget ${kb(JS_BUDGET_GZIP)}), CSS ${kb(report.first_visit_css_gzip)} gzipped`,
  );
  console.log(`officer chunk (staff only, loaded on #/officer): JS ${kb(report.officer_js_gzip)} gzipped`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
