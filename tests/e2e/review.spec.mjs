// For design reviews: the selected request copies as Markdown (decision, AccessDenied
// message, deciding statements with their text, the condition trace, CloudTrail), the
// matrix diff copies as a Markdown table, and printing gives a clean page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useApp, selectPolicy } from './harness.mjs';

const app = useApp();
const tid = (id) => `[data-testid="${id}"]`;

async function open() {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  return page;
}

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

test('the selected request copies as Markdown for a review document', async () => {
  const page = await open();
  // a denied request (alice stops bob's training job): the message, the trace and the record
  await page.waitForSelector(`${tid('decision')}[data-decision="ImplicitDeny"], ${tid('decision')}[data-decision="ExplicitDeny"]`);
  await page.click(tid('copy-markdown'));
  const md = await clipboard(page);
  assert.match(md, /^### (Implicit|Explicit) deny: alice /);
  assert.match(md, /\*\*AccessDenied message\*\*\n\n```text\nUser: arn:aws:sts::/);
  assert.match(md, /\*\*Condition trace\*\*\n\n```text\n- Evaluation: /);
  assert.match(md, /\*\*CloudTrail\*\*\n\n```json\n[[{]/);
  assert.match(md, /_Simulated by Abacus .* with AWS reference data @cloud-copilot\/iam-data /);
  // an allowed one (bob stops his own): its deciding statements with their text
  await page.selectOption(tid('user-select'), 'bob');
  await page.waitForSelector(`${tid('decision')}[data-decision="Allow"]`);
  await page.click(tid('copy-markdown'));
  const allowed = await clipboard(page);
  assert.match(allowed, /^### Allow: bob /);
  assert.match(allowed, /\*\*Deciding statements\*\*\n\n- .*\n\n```json\n\{/);
  assert.ok(!allowed.includes('AccessDenied message'));
});

test('the matrix diff copies as a Markdown table', async () => {
  const page = await open();
  await page.click(tid('tab-matrix'));
  await page.waitForSelector('table.matrix');
  await page.click(tid('tab-workspace'));
  await selectPolicy(page, 'TrainingJobPermissions');
  await page.fill(tid('policy-editor'), '{"Version": "2012-10-17", "Statement": []}');
  await page.click(tid('tab-matrix'));
  await page.waitForSelector(tid('copy-matrix-diff'));
  await page.click(tid('copy-matrix-diff'));
  const md = await clipboard(page);
  assert.match(md, /^\*\*Access changes against the baseline:\*\* 0 gained, [1-9]\d* lost/);
  assert.match(md, /\n\| user \| action and resource \| before \| after \| change \|\n\|---\|---\|---\|---\|---\|\n/);
  assert.match(md, /\| Allow \| Implicit deny \| lost \|/);
});

test('printing the workspace and the matrix gives a clean page', async () => {
  const page = await open();
  await page.emulateMedia({ media: 'print' });
  const shown = (sel) => page.evaluate((s) => {
    const el = document.querySelector(s);
    return !!el && getComputedStyle(el).display !== 'none';
  }, sel);
  assert.equal(await shown('.topbar'), false, 'no app chrome');
  assert.equal(await shown(tid('share-button')), false);
  assert.equal(await shown(tid('explanation')), true);
  assert.equal(await shown(tid('cloudtrail')), true, 'every lower tab is printed');
  assert.equal(await shown(tid('decision')), true);
  // the explanation is expanded: what did not apply is printed too
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.waitForSelector(`${tid('not-applied')}[open]`);
  await screenshot(page, 'print-workspace');
  await page.emulateMedia({ media: 'screen' });
  await page.click(tid('tab-matrix'));
  await page.waitForSelector('table.matrix');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await shown('table.matrix'), true);
  assert.equal(await shown(tid('matrix-baseline')), false, 'no controls');
  assert.deepEqual(app.pageErrors, []);
});
