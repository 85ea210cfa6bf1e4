// docs/embedding.md's complete example page, loaded as a host page: both embeds open, each
// posts its content height (only a number), and the host's ten-line script sizes each frame
// to it, growing when the content grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useApp } from './harness.mjs';

const app = useApp();
const tid = (id) => `[data-testid="${id}"]`;

/** The example page of docs/embedding.md, pointed at the app under test. */
function examplePage() {
  const md = readFileSync(join(ROOT, 'docs', 'embedding.md'), 'utf8');
  const blocks = [...md.matchAll(/```html\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  const page = blocks.find((b) => b.startsWith('<!doctype html>'));
  assert.ok(page, 'docs/embedding.md holds a complete page');
  return page.replaceAll('https://abacus.example/', app.url);
}

test('the example page of docs/embedding.md sizes both embeds to their content', async () => {
  const page = await app.newPage();
  const messages = [];
  await page.exposeFunction('noteMessage', (d) => messages.push(d));
  // note every message the embeds post, before the host's own script sees them
  await page.setContent(examplePage().replace('<body>', '<body><script>addEventListener("message", (e) => window.noteMessage(e.data));</script>'));
  assert.equal(await page.locator('iframe[data-abacus]').count(), 2);
  for (let i = 0; i < 2; i++) {
    await page.frameLocator('iframe[data-abacus]').nth(i).locator(`${tid('decision')}[data-decision]`).waitFor();
  }
  // the embeds are another origin than the host page: measure each from inside
  const embeds = page.frames().filter((f) => f.url().includes('#embed'));
  assert.equal(embeds.length, 2);
  const contentHeight = (f) => f.evaluate(() => Math.ceil(document.querySelector('[data-testid="embed"]').getBoundingClientRect().height));
  const frameHeights = () => page.evaluate(() => [...document.querySelectorAll('iframe[data-abacus]')].map((f) => parseFloat(f.style.height || '0')));
  // the first height posted is the "opening the example…" line's: wait for the examples'
  const settled = async () => {
    for (let tries = 0; tries < 50; tries++) {
      const [heights, contents] = [await frameHeights(), await Promise.all(embeds.map(contentHeight))];
      if (heights.every((h, i) => h > 200 && Math.abs(h - contents[i]) <= 2)) return heights;
      await page.waitForTimeout(100);
    }
    assert.fail(`frames ${JSON.stringify(await frameHeights())}, contents ${JSON.stringify(await Promise.all(embeds.map(contentHeight)))}`);
  };
  const heights = await settled();
  assert.ok(heights.every((h) => h !== 520), 'not the snippet\'s height');
  assert.ok(messages.length >= 2 && messages.every((m) => typeof m === 'number'), `only numbers cross the frame: ${JSON.stringify(messages)}`);
  // the content grows (300 px more at the end of the second embed): its frame follows.
  // The browser measures a frame's content while it is on screen (an off-screen frame's
  // rendering is deferred), as a reader would have scrolled to it
  await page.locator('iframe[data-abacus]').nth(1).scrollIntoViewIfNeeded();
  await embeds[1].evaluate(() => {
    const tall = document.createElement('div');
    tall.style.height = '300px';
    document.querySelector('[data-testid="embed"]').append(tall);
  });
  const grown = await settled();
  assert.ok(grown[1] >= heights[1] + 295, `${heights[1]} → ${grown[1]}`);
  assert.deepEqual(app.pageErrors, []);
});
