// The app on a real-account-sized world (issue 14): the document of `large-world.mjs` (200
// policies, 5,000 statements, 100 users, 20 roles, 1,000 resources, a 100 × 80 matrix) is
// imported from a file, as a user would, then measured. Figures are printed as
// `large-world: ...` lines; `cargo xtask bench` runs this spec for the README's figures
// against the targets (first render after the import < 1 s, keystroke p95 < 16 ms, matrix
// < 100 ms, typing never blocked while the matrix computes). The app plans the matrix's
// rows in idle periods before the matrix is opened; the second test opens the matrix at
// once after the import, with next to no idle time for that.
//
// Under `cargo xtask test` the timings are not held to those targets: they move with the
// machine (on the same build and the same 2-core machine a keystroke's p50 measured 11 ms
// one morning and 90 ms that afternoon, when iam-simulate too ran 2.4 times slower), and a
// timed test that fails on a busy machine says nothing about the code. What is asserted
// here is what a user must never see whatever the machine: a freeze (`FREEZE_MS`, a second
// without an answer to a key, and ten times that for a whole import or matrix), keys lost
// while the matrix computes, and wrong results (the decision appears, the matrix fills, a
// cell opens its own request), the last asserted exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useApp } from './harness.mjs';
import { largeWorld, statementCount, LARGE_WORLD } from './large-world.mjs';

const app = useApp();

const tid = (id) => `[data-testid="${id}"]`;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (x) => x.toFixed(2);
/** A user waiting this long for one key (or a tenth of an import or a matrix) sees a freeze. */
const FREEZE_MS = 1000;

const world = largeWorld();
const file = join(mkdtempSync(join(tmpdir(), 'abacus-large-')), 'large-world.json');
writeFileSync(file, JSON.stringify(world, null, 2));

/** Imports the large world through the Import button; resolves to the milliseconds from the
 * file input's change to the rendered decision of the imported document. */
async function importWorld(page) {
  await page.evaluate((sel) => {
    window.__importStart = null;
    document.querySelector(sel).addEventListener('change', () => { window.__importStart = performance.now(); }, { capture: true, once: true });
  }, tid('import-file'));
  await page.setInputFiles(tid('import-file'), file);
  const handle = await page.waitForFunction(
    () => {
      const brand = document.querySelector('.brand small');
      const decision = document.querySelector('[data-testid="decision"][data-decision]');
      if (window.__importStart === null || !brand?.textContent.startsWith('Large world') || !decision) return null;
      window.__imported = performance.now();
      return window.__imported - window.__importStart;
    },
    null,
    { timeout: 60000, polling: 'raf' },
  );
  return handle.jsonValue();
}

test('the generated world has the size of a real account', () => {
  assert.equal(world.policies.length, LARGE_WORLD.policies);
  assert.equal(statementCount(world), LARGE_WORLD.statements);
  assert.equal(world.world.users.length, LARGE_WORLD.users);
  assert.equal(world.world.roles.length, LARGE_WORLD.roles);
  assert.equal(world.world.resources.length, LARGE_WORLD.resources);
  assert.equal(world.matrix.actions.length * 2, LARGE_WORLD.matrixColumns);
  assert.equal(JSON.stringify(largeWorld()), JSON.stringify(world), 'deterministic');
});

test('large world: import, keystrokes, matrix, typing while the matrix computes', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);

  // first render of the imported world (the file read, parsed, validated, every policy
  // parsed and linted, the selected request evaluated and rendered)
  const imported = await importWorld(page);
  const notice = await page.locator(tid('notice')).textContent();
  assert.match(notice, /imported the scenario file/, notice);
  const decision = await page.getAttribute(tid('decision'), 'data-decision');
  assert.ok(['Allow', 'ExplicitDeny', 'ImplicitDeny'].includes(decision), decision);
  const tabs = await page.locator('[data-testid^="policy-tab-"]').count();
  assert.equal(tabs, LARGE_WORLD.policies);
  const expectations = await page.locator(`${tid('expectations')} li[data-passed]`).count();
  assert.equal(expectations, world.expectations.length);
  console.log(`large-world: ${LARGE_WORLD.policies} policies, ${LARGE_WORLD.statements} statements, ${LARGE_WORLD.users} users, ${LARGE_WORLD.roles} roles, ${LARGE_WORLD.resources} resources, ${(JSON.stringify(world).length / 1024).toFixed(0)} KiB`);
  console.log(`large-world: first render after the file import = ${fmt(imported)} ms (target 1000 ms)`);
  assert.ok(imported < 10 * FREEZE_MS, `import took ${imported} ms`);

  // keystrokes in the policy the document opens on (an identity policy of the selected
  // user's execution role), each re-deciding with the trace and CloudTrail records
  const text = await page.inputValue(tid('policy-editor'));
  assert.ok(text.includes('"Statement"'), 'the editor shows a policy');
  await page.focus(tid('policy-editor'));
  await page.evaluate((sel) => {
    const t = document.querySelector(sel);
    const at = t.value.indexOf('{') + 1;
    t.setSelectionRange(at, at);
    performance.clearMeasures('abacus-keystroke');
  }, tid('policy-editor'));
  // one key at a time, each waited for: a slow keystroke must not hide behind the next one
  const N = 40;
  for (let i = 0; i < N; i++) {
    await page.keyboard.type(i % 10 === 9 ? '\n' : ' ');
    await page.waitForFunction((n) => performance.getEntriesByName('abacus-keystroke').length > n, i, { timeout: 30000 });
  }
  const times = await page.evaluate(() => performance.getEntriesByName('abacus-keystroke').map((e) => e.duration));
  assert.ok(times.length >= N * 0.9, `only ${times.length} keystrokes measured`);
  assert.ok(['Allow', 'ExplicitDeny', 'ImplicitDeny'].includes(await page.getAttribute(tid('decision'), 'data-decision')));
  console.log(`large-world: keystroke p50 = ${fmt(pct(times, 50))} ms, p95 = ${fmt(pct(times, 95))} ms over ${times.length} keystrokes (target p95 16 ms)`);
  assert.ok(pct(times, 95) < FREEZE_MS, `keystroke p95 ${pct(times, 95)} ms`);

  // meanwhile the matrix's rows were planned in the page's idle periods (a user reads the
  // world before opening its matrix): each idle period's work is measured, and a key that
  // arrives during one waits for it
  // (the marks of the document shown before the import do not count)
  await page.waitForFunction(() => performance.getEntriesByName('abacus-matrix-prepared').some((e) => e.startTime > window.__imported), null, { timeout: 60000 });
  const prep = await page.evaluate(() => performance.getEntriesByName('abacus-matrix-prepare').filter((e) => e.startTime > window.__importStart).map((e) => e.duration));
  const prepTotal = prep.reduce((a, b) => a + b, 0);
  console.log(`large-world: matrix rows planned while idle: ${prep.length} slices of idle periods, ${fmt(prepTotal)} ms in all, the longest ${fmt(Math.max(...prep))} ms (a key waits at most this long)`);
  assert.ok(Math.max(...prep) < FREEZE_MS, `an idle period's planning held the page for ${Math.max(...prep)} ms`);

  // the whole matrix, several times (the first run warms up and sets the baseline)
  const cells = LARGE_WORLD.users * LARGE_WORLD.matrixColumns;
  const runs = [];
  const blocks = [];
  let first = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0) {
      await page.click(tid('tab-workspace'));
      await page.focus(tid('policy-editor'));
      await page.keyboard.type(' ');
    }
    // a probe on the event loop: the longest gap between its turns while the matrix computes
    // is the longest time a keystroke would have waited
    await page.evaluate(() => {
      performance.clearMeasures('abacus-matrix');
      window.__ticks = [];
      const channel = new MessageChannel();
      window.__probing = true;
      channel.port1.onmessage = () => {
        window.__ticks.push(performance.now());
        if (window.__probing) setTimeout(() => channel.port2.postMessage(0), 0);
      };
      channel.port2.postMessage(0);
    });
    await page.click(tid('tab-matrix'));
    // typing in the matrix's column field while it computes
    await page.focus(tid('matrix-add-action'));
    await page.keyboard.type('sagemaker:', { delay: 5 });
    await page.waitForFunction(() => performance.getEntriesByName('abacus-matrix').length > 0, null, { timeout: 60000 });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="matrix-cell-"]').length === n, cells, { timeout: 60000 });
    assert.equal(await page.inputValue(tid('matrix-add-action')), 'sagemaker:', 'every typed key arrived');
    await page.fill(tid('matrix-add-action'), '');
    const { duration, block } = await page.evaluate(() => {
      window.__probing = false;
      const m = performance.getEntriesByName('abacus-matrix').at(-1);
      const end = m.startTime + m.duration;
      let longest = 0;
      for (let k = 1; k < window.__ticks.length; k++) {
        const [a, b] = [window.__ticks[k - 1], window.__ticks[k]];
        // gaps that overlap the computation
        if (b > m.startTime && a < end) longest = Math.max(longest, Math.min(b, end) - Math.max(a, m.startTime));
      }
      return { duration: m.duration, block: longest };
    });
    if (i > 0) {
      runs.push(duration);
      blocks.push(block);
    } else {
      first = duration;
    }
  }
  const filled = await page.evaluate(() => [...document.querySelectorAll('[data-testid^="matrix-cell-"]')].filter((c) => c.dataset.decision !== 'none').length);
  const shape = await page.evaluate(() => {
    const t = document.querySelector('[data-testid="matrix"]');
    return [t.querySelectorAll('tbody tr').length, t.querySelectorAll('thead th.col').length];
  });
  assert.deepEqual(shape, [LARGE_WORLD.users, LARGE_WORLD.matrixColumns]);
  assert.ok(filled > cells / 2, `only ${filled} of ${cells} cells have a decision`);
  console.log(`large-world: matrix ${shape[0]} users × ${shape[1]} columns (${cells} cells, ${filled} with a decision)`);
  console.log(`large-world: matrix median = ${fmt(pct(runs, 50))} ms, max = ${fmt(Math.max(...runs))} ms over ${runs.length} runs after an edit (target 100 ms); the world's first matrix ${fmt(first)} ms (its rows planned while idle)`);
  console.log(`large-world: longest event-loop block while the matrix computes: median ${fmt(pct(blocks, 50))} ms, max ${fmt(Math.max(...blocks))} ms (typing waits at most this long)`);
  assert.ok(pct(runs, 50) < 10 * FREEZE_MS, `matrix median ${pct(runs, 50)} ms`);
  assert.ok(Math.max(...blocks) < FREEZE_MS, `the matrix blocked the event loop for ${Math.max(...blocks)} ms`);

  // typing in the column field with the whole matrix on the page: each key's time to the
  // next paint (Event Timing, which reports only keys slower than 16 ms)
  await page.focus(tid('matrix-add-action'));
  await page.evaluate(() => {
    window.__keys = [];
    window.__keyObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'keydown') window.__keys.push(e.duration);
    });
    window.__keyObserver.observe({ type: 'event', durationThreshold: 16 });
  });
  await page.keyboard.type('sagemaker:', { delay: 20 });
  await page.waitForTimeout(200);
  const slowKeys = await page.evaluate(() => { window.__keyObserver.disconnect(); return window.__keys; });
  const keyPaint = [...slowKeys, ...Array(Math.max(0, 10 - slowKeys.length)).fill(16)];
  console.log(`large-world: typing in the matrix's column field with the matrix shown: key to next paint p50 ${fmt(pct(keyPaint, 50))} ms, max ${fmt(Math.max(...keyPaint))} ms over 10 keys (16 = at most a frame)`);
  assert.ok(Math.max(...keyPaint) < FREEZE_MS, `a key took ${Math.max(...keyPaint)} ms to paint`);
  await page.fill(tid('matrix-add-action'), '');

  // a new column: the kept rows give the cells of the columns they share, so only the new
  // column's cells are planned, and every cell is decided
  await page.evaluate(() => performance.clearMeasures('abacus-matrix'));
  await page.fill(tid('matrix-add-action'), 'sagemaker:ListTrainingJobs');
  await page.click(tid('matrix-add'));
  const wider = () => document.querySelectorAll('[data-testid="matrix"] thead th.col').length;
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="matrix"] thead th.col').length > n, LARGE_WORLD.matrixColumns, { timeout: 60000 });
  const columns = await page.evaluate(wider);
  const replanned = await page.evaluate(() => performance.getEntriesByName('abacus-matrix').at(-1)?.duration ?? -1);
  assert.ok(replanned > 0, 'the matrix with the new column was measured');
  console.log(`large-world: matrix with a column added, ${LARGE_WORLD.users} × ${columns}, only its cells planned: ${fmt(replanned)} ms (the world's first matrix above: ${fmt(first)} ms)`);

  // a cell opens its own request in the workspace
  const cell = page.locator(`${tid('matrix-cell-0-0')}`);
  await cell.click();
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.equal(await page.inputValue(tid('user-select')), 'user000');
  assert.deepEqual(app.pageErrors, []);
  await page.context().close();
});

test('large world: the matrix opened at once after the import', async () => {
  // no idle time to plan the rows ahead: the matrix plans and decides every cell, by code
  // that runs for the first time in this page
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await importWorld(page);
  await page.evaluate(() => performance.clearMeasures('abacus-matrix'));
  await page.click(tid('tab-matrix'));
  const cells = LARGE_WORLD.users * LARGE_WORLD.matrixColumns;
  await page.waitForFunction(() => performance.getEntriesByName('abacus-matrix').length > 0, null, { timeout: 60000 });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="matrix-cell-"]').length === n, cells, { timeout: 60000 });
  const { duration, prepared } = await page.evaluate(() => ({
    duration: performance.getEntriesByName('abacus-matrix').at(-1).duration,
    prepared: performance.getEntriesByName('abacus-matrix-prepare').filter((e) => e.startTime > window.__importStart).length,
  }));
  console.log(`large-world: the matrix opened at once after the import: ${fmt(duration)} ms (${prepared} slices of idle periods planned rows before it)`);
  assert.ok(duration < 10 * FREEZE_MS, `the matrix took ${duration} ms`);
  assert.deepEqual(app.pageErrors, []);
  await page.context().close();
});
