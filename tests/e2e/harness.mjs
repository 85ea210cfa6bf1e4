// Shared harness for the end-to-end specs: serves the built `dist/` on 127.0.0.1 (a random
// port, static files only, like any static host) and launches Debian Chromium through
// playwright-core. No browser is downloaded: Chromium comes from apt (`cargo xtask setup`).
import { before, after } from 'node:test';
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = resolve(here, '..', '..');
/** Where the built site is (`ABACUS_DIST` overrides). */
export const DIST = process.env.ABACUS_DIST ? resolve(process.env.ABACUS_DIST) : join(ROOT, 'dist');
/** Where screenshots go. */
export const ARTIFACTS = join(here, 'artifacts');
/** A sub-path the site is served under, to prove relative URLs work from any folder. */
export const BASE_PATH = '/demo/abacus/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * Starts a static server for `DIST` under `BASE_PATH`; resolves to { url, close }. `root`
 * gives the folder served, asked on every request (a spec can switch it to a second build,
 * as a deploy would).
 */
export async function serveDist(root = () => DIST) {
  if (!existsSync(join(root(), 'index.html'))) {
    throw new Error(`no built site at ${root()}: run \`cargo xtask dist\` first`);
  }
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path === '/favicon.ico') {
        // Browsers ask the host root for this whatever the page links; a static host
        // serving several sites has none for us.
        res.writeHead(204).end();
        return;
      }
      if (!path.startsWith(BASE_PATH)) {
        res.writeHead(404).end('not under base path');
        return;
      }
      let rel = normalize(path.slice(BASE_PATH.length));
      if (rel.startsWith('..')) {
        res.writeHead(403).end();
        return;
      }
      if (rel === '' || rel === '.' || rel.endsWith('/')) rel = join(rel, 'index.html');
      const body = await readFile(join(root(), rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Chromium flags for this sandboxed, offline machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // V8 flags for a diagnosis, e.g. ABACUS_JS_FLAGS=--no-liftoff to compile every wasm function
  // with the optimizing compiler up front (what a page's first run of its code costs)
  ...(process.env.ABACUS_JS_FLAGS ? [`--js-flags=${process.env.ABACUS_JS_FLAGS}`] : []),
];

/** Launches Debian Chromium (`CHROMIUM` overrides the path). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/**
 * Starts the server and the browser once per spec file. Returns
 * { url, browser, newPage(opts), close() }. `newPage` opens a fresh context (its own
 * localStorage) at 1280×720 unless a viewport is given, and fails the test on any page error.
 */
export async function startApp() {
  const site = await serveDist();
  const browser = await launchBrowser();
  const pageErrors = [];
  return {
    url: site.url,
    browser,
    pageErrors,
    async newPage({ viewport = { width: 1280, height: 720 }, colorScheme = 'light', serviceWorkers = 'block' } = {}) {
      // the offline worker is blocked unless a spec asks for it: requests it made would not
      // pass through `page.route`, which some specs use to make a fetch fail
      const context = await browser.newContext({ viewport, colorScheme, serviceWorkers });
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(String(err)));
      page.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
      });
      return page;
    },
    async close() {
      await browser.close();
      await site.close();
    },
  };
}

/**
 * Starts the app before the spec's tests and closes it after them. Returns the app object,
 * filled in (by `Object.assign` of what `startApp` gives) once the `before` hook has run, so a
 * spec can write `const app = useApp();` at its top level and use `app` in its tests.
 */
export function useApp() {
  const app = {};
  before(async () => {
    Object.assign(app, await startApp());
  });
  after(async () => {
    await app.close?.();
  });
  return app;
}

/** Saves a screenshot as `tests/e2e/artifacts/NAME.png` and returns its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Clicks the policy tab whose label names `name` (throws when there is none). */
export async function selectPolicy(page, name) {
  const tabs = page.locator('[data-testid^="policy-tab-"]');
  const n = await tabs.count();
  for (let i = 0; i < n; i++) {
    if ((await tabs.nth(i).textContent()).includes(name)) {
      await tabs.nth(i).click();
      return;
    }
  }
  throw new Error(`no policy tab ${name}`);
}
