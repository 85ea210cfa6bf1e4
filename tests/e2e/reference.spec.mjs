// The Service Authorization Reference in the app, served under a sub-path: the seed services
// are preloaded, so an action outside the Studio catalogue (s3:GetObjectTagging) can be
// simulated; typing an action of a service that is not preloaded (ec2) loads that service's
// file on demand; the footer names the data's version; a failed fetch is a notice and the
// app keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useApp } from './harness.mjs';

const app = useApp();

const tid = (id) => `[data-testid="${id}"]`;
const index = JSON.parse(readFileSync(join(ROOT, 'crates', 'abacus-reference', 'data', 'index.json'), 'utf8'));

async function open() {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  return page;
}

/** Filters the action list, picks `action` once it is offered, and waits for its record. */
async function pick(page, filter, action) {
  await page.fill(tid('action-filter'), filter);
  await page.waitForSelector(`${tid('action-select')} option[value="${action}"]`, { state: 'attached', timeout: 15000 });
  await page.selectOption(tid('action-select'), action);
  const name = action.split(':')[1];
  await page.waitForFunction(
    ([sel, n]) => {
      try {
        const r = JSON.parse(document.querySelector(sel)?.textContent ?? '');
        return (Array.isArray(r) ? r : [r]).some((x) => x.eventName === n);
      } catch {
        return false;
      }
    },
    [tid('cloudtrail'), name],
    { timeout: 5000 },
  );
}

/** The decision shown, and the CloudTrail record of `eventName` (the first when several). */
async function outcome(page, eventName) {
  const decision = await page.getAttribute(tid('decision'), 'data-decision');
  const records = JSON.parse(await page.textContent(tid('cloudtrail')));
  const record = (Array.isArray(records) ? records : [records]).find((r) => r.eventName === eventName);
  return { decision, record };
}

test('a seed action outside the catalogue, then a service loaded on demand', async () => {
  const page = await open();
  const loads = [];
  page.on('request', (r) => {
    if (r.url().includes('/reference/')) loads.push(new URL(r.url()).pathname);
  });

  // the footer names the reference package, its version and its snapshot date
  await page.waitForFunction(
    ([sel, v]) => document.querySelector(sel)?.textContent.includes(v),
    [tid('reference-version'), index.version],
    { timeout: 10000 },
  );
  const footer = await page.textContent(tid('reference-version'));
  assert.match(footer, new RegExp(`${index.package} ${index.version.replace(/\./g, '\\.')} \\(${index.updatedAt.slice(0, 10)}\\)`));

  // s3:GetObjectTagging (S3 is a seed service): a decision and its CloudTrail record
  await pick(page, 'GetObjectTagging', 's3:GetObjectTagging');
  const label = await page.$eval(`${tid('action-select')} option[value="s3:GetObjectTagging"]`, (o) => o.textContent);
  assert.equal(label, 's3:GetObjectTagging — Read');
  const tagging = await outcome(page, 'GetObjectTagging');
  assert.match(tagging.decision, /^(Allow|ExplicitDeny|ImplicitDeny)$/);
  assert.equal(tagging.record.eventSource, 's3.amazonaws.com');
  assert.equal(tagging.record.readOnly, true);

  // ec2 is not preloaded: typing its action loads reference/services/ec2.json (relative to
  // the sub-path), then the action can be picked and simulated
  assert.ok(!loads.some((p) => p.endsWith('/ec2.json')), 'ec2 is not preloaded');
  await pick(page, 'ec2:DescribeInstances', 'ec2:DescribeInstances');
  assert.ok(loads.includes('/demo/abacus/reference/services/ec2.json'), loads.join(', '));
  const describe = await outcome(page, 'DescribeInstances');
  assert.match(describe.decision, /^(Allow|ExplicitDeny|ImplicitDeny)$/);
  assert.equal(describe.record.eventSource, 'ec2.amazonaws.com');
  const [, loaded] = (await page.textContent(tid('reference-version'))).match(/(\d+) of \d+ services loaded/);
  assert.ok(Number(loaded) >= 13, loaded);

  // nothing matches: the picker says so
  await page.fill(tid('action-filter'), 'zzzz-no-such-action');
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent.includes('no action matches'),
    tid('action-matches'),
  );
  assert.deepEqual(app.pageErrors, []);
});

test('a reload reopens an autosaved workspace whose action comes from the reference', async () => {
  const page = await open();
  await pick(page, 'GetObjectTagging', 's3:GetObjectTagging');
  await page.waitForTimeout(600); // the autosave runs ~300 ms after the last edit
  await page.reload();
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.value === 's3:GetObjectTagging',
    tid('action-select'),
    { timeout: 10000 },
  );
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  const { record } = await outcome(page, 'GetObjectTagging');
  assert.equal(record.eventSource, 's3.amazonaws.com');
  assert.equal(await page.evaluate(() => localStorage.getItem(`abacus.workspace.v1.corrupt@${location.pathname}`)), null);
  assert.deepEqual(app.pageErrors, []);
});

test('a service file that cannot be fetched gives a notice and the app keeps working', async () => {
  const page = await app.newPage();
  await page.route('**/reference/services/ec2.json', (route) => route.abort());
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.fill(tid('action-filter'), 'ec2:DescribeInstances');
  await page.waitForSelector(`${tid('notice')}[data-level="warning"]`, { timeout: 15000 });
  assert.match(await page.textContent(tid('notice')), /`ec2` could not be loaded/);
  assert.match(await page.textContent(tid('action-matches')), /could not be loaded/);
  // still working: a seed action is simulated
  await pick(page, 'GetObjectTagging', 's3:GetObjectTagging');
  const { decision } = await outcome(page, 'GetObjectTagging');
  assert.match(decision, /^(Allow|ExplicitDeny|ImplicitDeny)$/);
  // the aborted request is the browser's own console error; nothing else went wrong
  assert.deepEqual(app.pageErrors.filter((e) => !/ERR_FAILED|Failed to load resource/.test(e)), []);
});
