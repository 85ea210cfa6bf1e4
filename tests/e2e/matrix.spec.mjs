// The access matrix as people use it (issue 13): what a scenario's matrix shows, readable
// headers and cells in both themes, gains and losses told apart, the baseline's feedback,
// the keyboard grid, the legend's accessibility and user-chosen columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, useApp } from './harness.mjs';

const app = useApp();

const tid = (id) => `[data-testid="${id}"]`;
const cells = '[data-testid^="matrix-cell-"]';

/** Opens the app (optionally with a scenario file imported) on the matrix screen. */
async function openMatrix({ scenario, colorScheme = 'light' } = {}) {
  const page = await app.newPage({ colorScheme });
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  if (scenario) {
    const buffer = await readFile(join(ROOT, 'scenarios', scenario));
    await page.setInputFiles(tid('import-file'), { name: scenario, mimeType: 'application/json', buffer });
    await page.waitForSelector(tid('notice'));
  }
  await page.click(tid('tab-matrix'));
  await page.waitForSelector(tid('matrix'));
  return page;
}

/** Column headers as text, whitespace collapsed. */
const headers = (page) =>
  page.$$eval('table.matrix th.col', (ths) => ths.map((th) => th.textContent.replace(/\s+/g, ' ').trim()));

const activeId = (page) => page.evaluate(() => document.activeElement?.dataset.testid ?? '');

/** Replaces the text of the policy named `name`, then shows the matrix again. */
async function setPolicy(page, name, text) {
  await page.click(tid('tab-workspace'));
  const tabs = page.locator('[data-testid^="policy-tab-"]');
  const n = await tabs.count();
  let i = 0;
  while (i < n && !(await tabs.nth(i).textContent()).includes(name)) i++;
  assert.ok(i < n, `no policy ${name}`);
  await tabs.nth(i).click();
  await page.fill(tid('policy-editor'), text);
  await page.click(tid('tab-matrix'));
  await page.waitForSelector(tid('matrix'));
}

const policy = (effect, action) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });

test(
  'Opening Studio (IAM users): own profile allowed, others\' denied',
  // the scenario's matrix uses its console route, and CreatePresignedDomainUrl (a `Create…`
  // call on an existing, tagged profile) is tried on own and others' profiles
  async () => {
    const page = await openMatrix({ scenario: '003-studio-access-own-profile-iam-users.json' });
    assert.deepEqual(await headers(page), [
      'sagemaker:CreatePresignedDomainUrl (own)',
      "sagemaker:CreatePresignedDomainUrl (others')",
    ]);
    for (let r = 0; r < 3; r++) {
      assert.equal(await page.getAttribute(tid(`matrix-cell-${r}-0`), 'data-decision'), 'Allow');
      assert.equal(await page.getAttribute(tid(`matrix-cell-${r}-1`), 'data-decision'), 'ImplicitDeny');
    }
  },
);

test('cells without a decision are explained in the legend and say why', async () => {
  const page = await openMatrix({ scenario: '004-s3-access-grants-notebook.json' });
  const legend = await page.textContent(tid('matrix-legend'));
  assert.match(legend, /·\s*No decision/);
  const cell = page.locator(cells).first();
  assert.equal(await cell.getAttribute('data-decision'), 'none');
  const label = await cell.getAttribute('aria-label');
  assert.match(label, /no decision: .*s3-access-grants-instance resources are shared/);
  assert.equal(await cell.getAttribute('title'), label);
});

test('column headers are fully readable: service, action and whose resource', async () => {
  const page = await openMatrix();
  const all = await headers(page);
  assert.ok(all.length >= 12, all.join(' | '));
  assert.ok(all.every((h) => / \((own|others'|any)\)$/.test(h)), all.join(' | '));
  // no header's text is cut off by its cell or by the table's scroll box
  const cut = await page.$$eval('table.matrix th.col', (ths) =>
    ths.flatMap((th) => {
      const box = th.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(th);
      const text = range.getBoundingClientRect();
      const wrap = th.closest('.matrix-wrap').getBoundingClientRect();
      const inside = text.top >= box.top - 1 && text.bottom <= box.bottom + 1 && text.bottom <= wrap.bottom;
      return inside ? [] : [th.textContent];
    }),
  );
  assert.deepEqual(cut, []);
});

/** WCAG contrast ratio of two CSS colours (rgb()/rgba() as computed). */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

for (const colorScheme of ['light', 'dark']) {
  test(`implicit-deny cells stand out from the background (${colorScheme})`, async () => {
    const page = await openMatrix({ colorScheme });
    const cell = page.locator(`${cells}[data-decision="ImplicitDeny"]`).first();
    const style = await cell.evaluate((el) => {
      const s = getComputedStyle(el);
      const panel = getComputedStyle(el.closest('.matrix-wrap')).backgroundColor;
      return { text: el.textContent.trim(), color: s.color, bg: s.backgroundColor, edge: s.boxShadow, panel };
    });
    assert.notEqual(style.text, '', 'a visible mark, not only a colour');
    assert.ok(contrast(style.color, style.bg) >= 4.5, `text ${JSON.stringify(style)}`);
    // the cell's fill or its edge must differ from the panel as a UI component does (3:1)
    const edge = style.edge.match(/rgba?\([^)]*\)/)?.[0];
    const best = Math.max(contrast(style.bg, style.panel), edge ? contrast(edge, style.panel) : 1);
    assert.ok(best >= 3, `cell against the panel ${best.toFixed(2)}: ${JSON.stringify(style)}`);
    // the solid cells too (the legend's swatches wear the cells' classes)
    for (const kind of ['Allow', 'ExplicitDeny']) {
      const solid = page.locator(`${tid('matrix-legend')} .cell-${kind}`);
      const c = await solid.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
      assert.ok(contrast(...c) >= 4.5, `${kind} ${c}`);
    }
  });
}

test('gained and lost access are drawn differently, with words for screen readers', async () => {
  const page = await openMatrix();
  const legend = await page.textContent(tid('matrix-legend'));
  assert.match(legend, /▲\s*Gained/);
  assert.match(legend, /▼\s*Lost/);
  // everything allowed: only gains
  await setPolicy(page, 'TrainingJobPermissions', policy('Allow', '*'));
  const gained = page.locator(`${cells}[data-change="gained"]`);
  assert.ok((await gained.count()) > 0);
  assert.equal(await page.locator(`${cells}[data-change="lost"]`).count(), 0);
  assert.match(await gained.first().textContent(), /▲/);
  assert.match(await gained.first().getAttribute('aria-label'), /gained access since the baseline/);
  // from there, everything denied: only losses
  await page.click(tid('matrix-baseline'));
  await setPolicy(page, 'TrainingJobPermissions', policy('Deny', '*'));
  const lost = page.locator(`${cells}[data-change="lost"]`);
  assert.ok((await lost.count()) > 0);
  assert.equal(await page.locator(`${cells}[data-change="gained"]`).count(), 0);
  assert.match(await lost.first().textContent(), /▼/);
  assert.match(await lost.first().getAttribute('aria-label'), /lost access since the baseline/);
  assert.match(await page.textContent(tid('matrix-diff')), /▼ Lost: /);
});

test('"Set baseline" says so and resets the diff', async () => {
  const page = await openMatrix();
  await setPolicy(page, 'TrainingJobPermissions', policy('Allow', '*'));
  assert.match(await page.textContent(tid('matrix-diff')), /\d+ gained/);
  await page.click(tid('matrix-baseline'));
  const status = page.locator(tid('matrix-baseline-status'));
  assert.equal(await status.getAttribute('role'), 'status');
  const allowed = await page.locator(`${cells}[data-decision="Allow"]`).count();
  assert.match(await status.textContent(), new RegExp(`^Baseline set: ${allowed} allowed cells`));
  assert.match(await page.textContent(tid('matrix-diff')), /No change/);
});

test('the matrix is a grid: one tab stop, arrow keys, Home/End, Enter opens, focus comes back', async () => {
  const page = await openMatrix();
  assert.equal(await page.getAttribute(tid('matrix'), 'role'), 'grid');
  assert.equal(await page.locator(`${cells}[tabindex="0"]`).count(), 1, 'one tab stop');
  await page.focus(tid('matrix-cell-0-0'));
  await page.keyboard.press('ArrowRight');
  assert.equal(await activeId(page), 'matrix-cell-0-1');
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeId(page), 'matrix-cell-1-1');
  await page.keyboard.press('End');
  const last = (await page.locator('table.matrix th.col').count()) - 1;
  assert.equal(await activeId(page), `matrix-cell-1-${last}`);
  await page.keyboard.press('Home');
  assert.equal(await activeId(page), 'matrix-cell-1-0');
  await page.keyboard.press('Control+End');
  const rows = await page.locator('table.matrix tbody tr').count();
  assert.equal(await activeId(page), `matrix-cell-${rows - 1}-${last}`);
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeId(page), 'matrix-cell-1-0');
  assert.equal(await page.getAttribute(tid('matrix-cell-1-0'), 'tabindex'), '0');
  // Enter opens bob's request; back on the matrix, his cell has the focus again
  await page.keyboard.press('Enter');
  await page.waitForSelector(tid('policy-editor'));
  assert.equal(await page.inputValue(tid('user-select')), 'bob');
  await page.keyboard.press('Alt+2');
  await page.waitForSelector(tid('matrix'));
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'matrix-cell-1-0');
});

test('the legend hides nothing focusable from assistive technology (axe aria-hidden-focus)', async () => {
  const page = await openMatrix();
  const hidden = await page.$$eval('[aria-hidden="true"]', (els) =>
    els.flatMap((el) =>
      [...el.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
        .filter((f) => f.getAttribute('tabindex') !== '-1' && !f.disabled)
        .map((f) => f.outerHTML.slice(0, 80)),
    ),
  );
  assert.deepEqual(hidden, []);
  assert.equal(await page.getAttribute(tid('matrix-legend'), 'aria-hidden'), null);
});

test('a user adds and removes matrix columns, and they are saved with the document', async () => {
  const page = await openMatrix();
  const before = await headers(page);
  assert.ok(!before.some((h) => h.includes('DeleteExperiment')));
  await page.fill(tid('matrix-add-action'), 'sagemaker:DeleteExperiment');
  await page.click(tid('matrix-add'));
  await page.waitForFunction(() => document.querySelector('table.matrix thead').textContent.includes('DeleteExperiment'));
  const added = (await headers(page)).filter((h) => h.includes('DeleteExperiment'));
  assert.deepEqual(added, ['sagemaker:DeleteExperiment (own)', "sagemaker:DeleteExperiment (others')"]);
  // an unknown action is refused with a message, and nothing changes
  await page.fill(tid('matrix-add-action'), 'nope:Nothing');
  await page.click(tid('matrix-add'));
  await page.waitForSelector(tid('notice'));
  assert.match(await page.textContent(tid('notice')), /not a known action/);
  // autosaved: a reload keeps the column
  await page.waitForTimeout(1200);
  await page.reload();
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.click(tid('tab-matrix'));
  await page.waitForSelector(tid('matrix'));
  assert.ok((await headers(page)).some((h) => h.includes('DeleteExperiment')));
  await page.selectOption(tid('matrix-remove-action'), 'sagemaker:DeleteExperiment');
  await page.click(tid('matrix-remove'));
  await page.waitForFunction(() => !document.querySelector('table.matrix thead').textContent.includes('DeleteExperiment'));
  assert.deepEqual(await headers(page), before);
});

test('no page errors or console errors in any of the above', () => {
  assert.deepEqual(app.pageErrors, []);
});
