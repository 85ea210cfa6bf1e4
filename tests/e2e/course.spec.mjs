// Course packs (issue 17): a workshop attendee follows the shipped course step by step from
// the gallery, solves a step, moves on, reloads and finds the course and their progress
// again, starts a step over; a facilitator hands out the course as a link; the course bar is
// axe-clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ROOT, useApp } from './harness.mjs';

const app = useApp();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const tid = (id) => `[data-testid="${id}"]`;
const COURSE_TEXT = readFileSync(join(ROOT, 'courses', 'studio-abac.json'), 'utf8');
const COURSE = JSON.parse(COURSE_TEXT);

/** A fresh page on `suffix`, confirmations accepted and collected in `page.asked`. */
async function open(suffix = '') {
  const page = await app.newPage();
  page.asked = [];
  page.on('dialog', (d) => {
    page.asked.push(d.message());
    return d.accept();
  });
  await page.goto(app.url + suffix);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  return page;
}

/** The app's share fragment for a document's text (raw deflate, base64url), as `abacus share` writes it. */
const linkOf = (text) => `#s=1.${deflateRawSync(Buffer.from(text)).toString('base64url')}`;

const progressText = (page) => page.textContent(tid('course-progress'));

test('a course from the gallery: step by step, progress kept per step, a reload comes back, a step starts over', async () => {
  const page = await open();
  await page.click(tid('tab-gallery'));
  await page.waitForSelector(`${tid('gallery')}[data-state="ready"]`);
  const titles = await page.locator('.section-title').allTextContents();
  assert.deepEqual(titles.slice(0, 2), ['Courses', 'Challenges']);
  const card = page.locator(tid(`course-card-${COURSE.id}`));
  assert.match(await card.textContent(), /0 of 5 steps passed/);
  await page.click(tid(`course-open-${COURSE.id}`));
  await page.waitForSelector(tid('course-bar'));
  assert.equal(await progressText(page), 'step 1 of 5 · 0 of 5 passed');
  assert.match(await page.textContent(tid('notice')), /step 1 of 5/);
  // the task stays in view without squeezing the editor (1280×720)
  const editorHeight = await page.evaluate(() => document.querySelector('.editor-panel').getBoundingClientRect().height);
  assert.ok(editorHeight >= 200, `the editor is ${editorHeight}px high`);
  // the instructions' Markdown renders as elements; every hint is there, one at a time
  assert.ok(await page.locator(`${tid('instructions')} strong`).count() >= 1);
  assert.ok(await page.locator(`${tid('instructions')} code`).count() >= 1);
  assert.equal(await page.locator(`${tid('instructions')} script`).count(), 0);
  assert.equal(await page.locator(`${tid('hint-1')}, ${tid('hint-2')}`).count(), 2);
  assert.match(await page.textContent(tid('challenge-status')), /^[0-4]\/5 expectations pass$/, 'fails as shipped');
  assert.ok(await page.isDisabled(tid('course-prev')), 'no step before the first');

  // the attendee writes the fix: the step passes, and the course bar says so
  await page.fill(tid('policy-editor'), COURSE.steps[0].solution.text);
  await page.waitForFunction((sel) => /^solved/.test(document.querySelector(sel).textContent), tid('challenge-status'));
  await page.waitForSelector(`${tid('course-step-1')}[data-passed="true"]`);
  assert.equal(await progressText(page), 'step 1 of 5 · 1 of 5 passed');

  // on to step 2, which opens as shipped; an edit there is the attendee's
  await page.click(tid('course-next'));
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.startsWith('step 2 of 5'), tid('course-progress'));
  assert.equal(await page.getAttribute(tid('course-step-2'), 'aria-current'), 'step');
  const shipped = await page.inputValue(tid('policy-editor'));
  const edited = shipped.replace('"Version"', '"Version" ');
  await page.fill(tid('policy-editor'), edited);

  // a reload comes back to the course, the step and the edit
  await page.waitForTimeout(700); // the autosave and progress are written a moment after the last change
  await page.reload();
  await page.waitForSelector(tid('course-bar'));
  assert.equal(await progressText(page), 'step 2 of 5 · 1 of 5 passed');
  assert.equal(await page.inputValue(tid('policy-editor')), edited);

  // step 1 comes back solved; step 2 keeps the edit
  await page.click(tid('course-step-1'));
  await page.waitForFunction((sel) => /^solved/.test(document.querySelector(sel)?.textContent ?? ''), tid('challenge-status'));
  await page.click(tid('course-step-2'));
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.startsWith('step 2 of 5'), tid('course-progress'));
  assert.equal(await page.inputValue(tid('policy-editor')), edited);

  // Reset this step asks first, then opens the step as shipped
  await page.click(tid('course-reset'));
  assert.match(page.asked.pop(), /Start this step over\?/);
  await page.waitForFunction(([sel, text]) => document.querySelector(sel).value === text, [tid('policy-editor'), shipped]);
  assert.equal(await progressText(page), 'step 2 of 5 · 1 of 5 passed');

  // leaving the course keeps the workspace and drops the bar
  await page.click(tid('course-leave'));
  await page.waitForSelector(tid('course-bar'), { state: 'detached' });
  assert.ok(await page.isVisible(tid('challenge-panel')));
  assert.deepEqual(app.pageErrors, []);
});

test('a course link opens its first step; the course bar is axe-clean in both themes', async () => {
  const page = await open(linkOf(COURSE_TEXT));
  await page.waitForSelector(tid('course-bar'));
  assert.equal(await progressText(page), 'step 1 of 5 · 0 of 5 passed');
  assert.match(await page.textContent('.brand small'), new RegExp(COURSE.title));
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(found, []);
  const dark = await app.newPage({ colorScheme: 'dark' });
  await dark.goto(app.url + linkOf(COURSE_TEXT));
  await dark.waitForSelector(tid('course-bar'));
  await dark.addScriptTag({ path: AXE });
  const inDark = await dark.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(inDark, [], 'dark theme');
  // an embed cannot follow a course: it says so instead of showing something else
  const embed = await app.newPage();
  await embed.goto(app.url + linkOf(COURSE_TEXT).replace('#', '#embed&'));
  await embed.waitForSelector(tid('embed-error'));
  assert.match(await embed.textContent(tid('embed-error')), /opens in the full app/);
});

test('Import refuses a file over 32 MiB before reading it, and the workspace stays', async () => {
  const page = await open();
  const before = await page.inputValue(tid('policy-editor'));
  await page.setInputFiles(tid('import-file'), {
    name: 'huge.json',
    mimeType: 'application/json',
    buffer: Buffer.alloc(32 * 1024 * 1024 + 1, 0x20),
  });
  await page.waitForFunction((sel) => /huge\.json.*not opened.*more than the 33554432/.test(document.querySelector(sel)?.textContent ?? ''), tid('notice'));
  assert.equal(await page.inputValue(tid('policy-editor')), before);
});
