// Issue 11 in the browser: nothing lost (a link opened in the same tab keeps the previous
// autosave, autosave failures are shown), nothing leaked (embeds never touch the autosave,
// keys are scoped to the deployment's path), and bounded work (the "N more" diagnostic, a
// refused matrix, the embed link computed once per change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_PATH, useApp } from './harness.mjs';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';

const app = useApp();

const tid = (id) => `[data-testid="${id}"]`;
/** This deployment's keys (the harness serves the site under BASE_PATH). */
const KEY = `abacus.workspace.v1@${BASE_PATH}`;
const PREVIOUS = `abacus.workspace.v1.previous@${BASE_PATH}`;
const CORRUPT = `abacus.workspace.v1.corrupt@${BASE_PATH}`;
const get = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);

async function open(suffix = '', page = null) {
  const p = page ?? (await app.newPage());
  await p.goto(app.url + suffix);
  // a decision, or an embed's in-place error for a link it cannot open
  await p.waitForSelector(`${tid('decision')}[data-decision], ${tid('embed-error')}`);
  return p;
}

/** Selects `user` and waits for the debounced autosave; returns the saved text. */
async function saveAs(page, user) {
  await page.selectOption(tid('user-select'), user);
  await page.waitForTimeout(700);
  return get(page, KEY);
}

/** The message bar's text once it has `level` (and, if given, matches `re`). */
async function noticeOf(page, level, re = /./) {
  await page.waitForFunction(
    ([sel, l, src]) => {
      const n = document.querySelector(sel);
      return n?.getAttribute('data-level') === l && new RegExp(src).test(n.textContent);
    },
    [tid('notice'), level, re.source],
    { timeout: 10000 },
  );
  return page.textContent(tid('notice'));
}

test('a link opened in the same tab keeps the previous autosave; a broken one changes nothing', async () => {
  const page = await open();
  const carols = await saveAs(page, 'carol');
  await page.click(tid('share-button'));
  const hash = (await page.inputValue(tid('share-url'))).split('#')[1];
  const bobs = await saveAs(page, 'bob');
  // the share button put this very link in the URL: leave it, then paste it back
  await page.evaluate(() => { location.hash = 'elsewhere'; });
  await page.evaluate((h) => { location.hash = h; }, hash);
  assert.match(await noticeOf(page, 'info', /previous autosave/), new RegExp(`previous autosave is kept .*${PREVIOUS.replace(/[.]/g, '\\.')}`));
  assert.equal(await get(page, PREVIOUS), bobs);
  await page.waitForTimeout(600);
  assert.equal(await get(page, KEY), carols, 'the shared workspace is the one autosaved now');
  assert.doesNotMatch(page.url(), /#s=/, 'the link is consumed, as at startup');
  // a broken link: an error in the message bar, and the workspace stays
  await page.evaluate(() => { location.hash = 's=1.AAAA'; });
  assert.match(await noticeOf(page, 'error'), /share link could not be opened/);
  await page.waitForTimeout(600);
  assert.equal(await get(page, KEY), carols);
  assert.deepEqual(app.pageErrors, []);
});

test('embeds never show or touch the visitor autosave', async () => {
  const page = await open();
  const bobs = await saveAs(page, 'bob');
  await open('?embed', page);
  assert.equal(await page.locator(tid('embed')).count(), 1);
  // the error in place of any example: neither the visitor's workspace nor the default one
  assert.match(await page.textContent(tid('embed-error')), /names no scenario/);
  assert.equal(await page.locator(tid('user-select')).count(), 0);
  // a broken link in an embed: an error, and a corrupt autosave is neither read nor moved
  await page.evaluate((k) => localStorage.setItem(k, '{"version": 2, "name": '), KEY);
  await open('?embed=edit#s=1.AAAA', page);
  assert.match(await page.textContent(tid('embed-error')), /share link could not be opened/);
  assert.equal(await get(page, CORRUPT), null);
  await page.waitForTimeout(600);
  assert.equal(await get(page, KEY), '{"version": 2, "name": ');
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, bobs]);
});

test('autosave keys are scoped to the path; the old bare key is copied once and kept', async () => {
  const page = await open();
  const bobs = await saveAs(page, 'bob');
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.deepEqual(keys.filter((k) => k.startsWith('abacus.workspace')), [KEY]);
  // an autosave from before the keys were scoped
  await page.evaluate(([k]) => { localStorage.clear(); localStorage.setItem('abacus.workspace.v1', k); }, [bobs]);
  await page.reload();
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.equal(await page.inputValue(tid('user-select')), 'bob');
  assert.equal(await get(page, KEY), bobs);
  assert.equal(await get(page, 'abacus.workspace.v1'), bobs, 'the old key is left as it is');
});

test('an autosave the browser refuses is a warning in the message bar', async () => {
  const page = await app.newPage();
  await page.addInitScript(() => {
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (String(k).startsWith('abacus.workspace')) {
        throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      }
      return set.call(this, k, v);
    };
  });
  await open('', page);
  await page.selectOption(tid('user-select'), 'bob');
  assert.match(await noticeOf(page, 'warning'), /autosave failed \(the quota has been exceeded\)/);
});

test('the embed link is computed once per document change', async () => {
  const full = await open();
  await full.click(tid('share-button'));
  const hash = (await full.inputValue(tid('share-url'))).split('#')[1];
  const page = await open(`?embed=edit#${hash}`);
  const count = () => page.evaluate(() => performance.getEntriesByName('abacus-open-link').length);
  const link = () => page.getAttribute('.embed-foot a', 'href');
  // the browser compresses in the background: once, shortly after the first render
  await page.waitForFunction(() => performance.getEntriesByName('abacus-open-link').length === 1);
  assert.match(await link(), /#s=1\./);
  // renders that do not change the document reuse it
  await page.fill(tid('action-filter'), 'Describe');
  await page.fill(tid('action-filter'), '');
  await page.waitForTimeout(100);
  assert.equal(await count(), 1);
  const before = await link();
  await page.selectOption(tid('user-select'), 'bob');
  await page.waitForFunction(() => performance.getEntriesByName('abacus-open-link').length === 2);
  assert.notEqual(await link(), before);
});

test('a flood of diagnostics renders fast and says how many are not shown', async () => {
  const page = await open();
  await page.fill(tid('policy-editor'), '@'.repeat(200_000));
  await page.waitForFunction(
    (sel) => document.querySelectorAll(`${sel} li`).length === 201,
    tid('diagnostics'),
    { timeout: 20000 },
  );
  assert.equal(await page.locator(`${tid('diagnostics')} li[data-code="policy-too-many-diagnostics"]`).count(), 1);
  // one line, one inline note: the first diagnostic, then how many are not shown
  assert.match(await page.textContent('.lens'), /unexpected character .* · 1998\d\d more diagnostics not shown/);
});

test('a matrix over the cell limit is refused with a message, not an empty grid', async () => {
  const page = await open();
  const saved = JSON.parse(await saveAs(page, 'bob'));
  saved.matrix = { ...(saved.matrix ?? {}), users: Array.from({ length: 20_001 }, (_, i) => `u${i}`) };
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, JSON.stringify(saved)]);
  await page.reload();
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.click(tid('tab-matrix'));
  await page.waitForSelector(tid('matrix-refused'));
  assert.match(await page.textContent(tid('matrix-refused')), /more than the limit of 20000.*matrix\.users/);
  assert.equal(await page.locator(tid('matrix')).count(), 0);
});

/** A share fragment for `doc`, exactly as the app writes it (raw deflate, base64url). */
const linkOf = (doc) =>
  `#s=1.${deflateRawSync(Buffer.from(JSON.stringify(doc)), { level: 9 }).toString('base64url')}`;
const seed = () =>
  JSON.parse(readFileSync(new URL('../../scenarios/001-s3-own-prefix.json', import.meta.url), 'utf8'));
const policyText = (statement) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

test('worst-case share links open to a decision or a clear refusal', async () => {
  // a long wildcard against a long object name (42 s on the old matcher)
  const wildcard = seed();
  wildcard.policies[1].text = policyText({
    Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::my-bucket/*${'a'.repeat(100_000)}b`,
  });
  wildcard.selection.resource = null;
  wildcard.selection.resourceArn = `arn:aws:s3:::my-bucket/${'a'.repeat(450_000)}b`;
  // 20 K variables over a 50 K tag (out of memory before the caps)
  const variables = seed();
  variables.world.roles[0].tags.team = 'x'.repeat(50_000);
  variables.policies[1].text = policyText({
    Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b/${'${aws:PrincipalTag/team}'.repeat(20_000)}`,
  });
  for (const [doc, expected] of [[wildcard, 'Allow'], [variables, 'ImplicitDeny']]) {
    const link = linkOf(doc);
    assert.ok(link.length < 64 * 1024, `${link.length} characters`);
    const page = await app.newPage();
    await page.goto(app.url + link);
    await page.waitForSelector(`${tid('decision')}[data-decision="${expected}"]`, { timeout: 20000 });
    await page.close();
  }
  // 100 K invalid attachments: refused with a message, the previous workspace kept
  const attachments = seed();
  attachments.policies[1].attachedTo = Array(100_000).fill('x');
  const page = await app.newPage();
  await page.goto(app.url + linkOf(attachments));
  assert.match(await noticeOf(page, 'error'), /attachedTo|more problems not shown/);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
});
