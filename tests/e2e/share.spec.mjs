// `abacus share` links open in the app: the CLI writes the app's own link format, so the
// browser's decoder (DecompressionStream deflate-raw) reads what the CLI's deflater wrote,
// for a plain link and an embed snippet's link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, useApp } from './harness.mjs';

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
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.match(await page.textContent('.brand'), /S3/);
  const html = share(file, '--embed', '--base', app.url);
  const src = html.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  assert.ok(src.includes('#embed&s=1.'), src);
  const embed = await app.newPage();
  await embed.goto(src);
  await embed.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.equal(await embed.locator('.topbar').count(), 0, 'no app chrome in an embed');
  assert.deepEqual(app.pageErrors, []);
});
