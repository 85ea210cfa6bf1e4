// Presenter mode (`?present`): a fresh session for a shared screen. It never reads the
// visitor's autosave nor writes one, shows larger text, and Reset starts over (the link it
// opened, or the default example).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_PATH, useApp } from './harness.mjs';

const app = useApp();
const tid = (id) => `[data-testid="${id}"]`;
const KEY = `abacus.workspace.v1@${BASE_PATH}`;
const stored = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);

test('presenter mode shows no saved work, saves nothing, and Reset starts over', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  const original = await page.inputValue(tid('policy-editor'));
  // the visitor's own work, autosaved
  await page.fill(tid('policy-editor'), `${original}\n`.replace('"Version"', '"Version" '));
  await page.waitForTimeout(700);
  const mine = await stored(page);
  assert.ok(mine, 'autosaved');
  // presenter mode in the same browser: the default example, not the autosave
  await page.goto(`${app.url}?present`);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.equal(await page.inputValue(tid('policy-editor')), original);
  assert.match(await page.textContent(tid('notice')), /Presenter mode/);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.app')).fontSize), '17px');
  assert.equal(await page.locator(tid('intro')).count(), 0, 'no welcome note');
  // an edit is not saved
  await page.fill(tid('policy-editor'), '{"Version": "2012-10-17", "Statement": []}');
  await page.waitForTimeout(700);
  assert.equal(await stored(page), mine, 'the autosave is untouched');
  // Reset: the example as it started
  await Promise.all([page.waitForNavigation(), page.click(tid('presenter-reset'))]);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.equal(await page.inputValue(tid('policy-editor')), original);
  assert.equal(await stored(page), mine);
  assert.deepEqual(app.pageErrors, []);
});

test('a presenter opens a link, and Reset goes back to the link', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.selectOption(tid('user-select'), 'bob');
  await page.click(tid('share-button'));
  const hash = (await page.inputValue(tid('share-url'))).split('#')[1];
  await page.goto(`${app.url}?present#${hash}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="user-select"]')?.value === 'bob');
  await page.selectOption(tid('user-select'), 'carol');
  await Promise.all([page.waitForNavigation(), page.click(tid('presenter-reset'))]);
  await page.waitForFunction(() => document.querySelector('[data-testid="user-select"]')?.value === 'bob');
  assert.ok(page.url().includes('#s=1.'), 'the link stays in the address');
});
