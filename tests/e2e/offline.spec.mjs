// Offline after the first load (issue 17): the service worker (web/sw.js) keeps the app, the
// reference data it loaded and the gallery, so a reload with the network off still decides;
// it works under the harness's sub-path (`/demo/abacus/`), and keeps only the hashed files the
// page it last fetched names (the JS and the wasm of one build): after a new deploy the next
// online load takes the new build whole, drops the old one, and the new one works offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, serveDist, useApp } from './harness.mjs';

const app = useApp();
const tid = (id) => `[data-testid="${id}"]`;

/** The URLs in the worker's cache, read from the page. */
const cached = (page) => page.evaluate(async () => {
  const cache = await caches.open('abacus-offline-v1');
  return (await cache.keys()).map((r) => r.url);
});

test('a reload with the network off opens the app, decides, and shows the gallery it had loaded', async () => {
  const page = await app.newPage({ serviceWorkers: 'allow' });
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  const decision = await page.getAttribute(tid('decision'), 'data-decision');
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, app.url, 'the worker is scoped to the sub-path the site is served from');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // the gallery, opened once online
  await page.click(tid('tab-gallery'));
  await page.waitForSelector(`${tid('gallery')}[data-state="ready"]`);
  // the page, its build's JS and wasm, the reference index and the services read at startup
  await page.waitForFunction(async () => {
    const keys = (await (await caches.open('abacus-offline-v1')).keys()).map((r) => r.url);
    return ['_bg.wasm', '.css', 'reference/index.json', 'reference/services/sagemaker.json', 'gallery.json']
      .every((end) => keys.some((u) => u.endsWith(end)));
  }, null, { timeout: 30000 });
  const urls = await cached(page);
  const html = await (await fetch(app.url)).text();
  const wasm = urls.filter((u) => u.endsWith('_bg.wasm'));
  assert.equal(wasm.length, 1, 'one build only');
  assert.ok(html.includes(wasm[0].split('/').pop()), 'the wasm the page names');
  const js = urls.filter((u) => /abacus-web-[0-9a-f]+\.js$/.test(u));
  assert.deepEqual(js.map((u) => u.replace(/\.js$/, '')), wasm.map((u) => u.replace(/_bg\.wasm$/, '')), 'the JS of the same build');

  await page.context().setOffline(true);
  await page.reload();
  await page.waitForSelector(`${tid('decision')}[data-decision]`, { timeout: 30000 });
  assert.equal(await page.getAttribute(tid('decision'), 'data-decision'), decision);
  await page.click(tid('tab-gallery'));
  await page.waitForSelector(`${tid('gallery')}[data-state="ready"]`, { timeout: 30000 });
  await page.context().setOffline(false);
  await page.context().close();
});

test('a new deploy: the next online load takes the new build whole and drops the old one, and works offline', async () => {
  // a second build: the same files under new hashed names, as a redeploy writes them
  const next = mkdtempSync(join(tmpdir(), 'abacus-next-'));
  cpSync(DIST, next, { recursive: true });
  const html = readFileSync(join(next, 'index.html'), 'utf8');
  const old = html.match(/abacus-web-([0-9a-f]+)\.js/)[1];
  const fresh = old.split('').reverse().join('');
  renameSync(join(next, `abacus-web-${old}.js`), join(next, `abacus-web-${fresh}.js`));
  renameSync(join(next, `abacus-web-${old}_bg.wasm`), join(next, `abacus-web-${fresh}_bg.wasm`));
  writeFileSync(join(next, 'index.html'), html.replaceAll(old, fresh));
  let root = DIST;
  const site = await serveDist(() => root);
  try {
    const context = await app.browser.newContext({ serviceWorkers: 'allow' });
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForSelector(`${tid('decision')}[data-decision]`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForFunction(async (o) => (await (await caches.open('abacus-offline-v1')).keys()).some((r) => r.url.endsWith(`${o}_bg.wasm`)), old);

    // the deploy: the next load online is the new build, and only its files are kept
    root = next;
    await page.reload();
    await page.waitForSelector(`${tid('decision')}[data-decision]`);
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => /abacus-web-/.test(u)));
    assert.ok(loaded.every((u) => u.includes(fresh)), `the new build only: ${loaded}`);
    await page.waitForFunction(async ([o, f]) => {
      const urls = (await (await caches.open('abacus-offline-v1')).keys()).map((r) => r.url);
      return !urls.some((u) => u.includes(o)) && urls.some((u) => u.endsWith(`${f}_bg.wasm`)) && urls.some((u) => u.endsWith(`${f}.js`));
    }, [old, fresh], { timeout: 30000 });

    // offline, the new build opens
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector(`${tid('decision')}[data-decision]`, { timeout: 30000 });
    const offline = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => /abacus-web-/.test(u)));
    assert.ok(offline.length > 0 && offline.every((u) => u.includes(fresh)), `${offline}`);
    await context.close();
  } finally {
    await site.close();
    rmSync(next, { recursive: true, force: true });
  }
});
