// Accessibility: axe-core (from npm, injected into the page) finds no violation on any
// screen, in the light and the dark theme, nor in embed mode (read-only, editable, broken).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useApp } from './harness.mjs';

const app = useApp();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const tid = (id) => `[data-testid="${id}"]`;

/** The violations axe finds in `page`, one line each (rule, impact, first targets). */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

async function open(colorScheme, suffix = '') {
  const page = await app.newPage({ colorScheme });
  await page.goto(app.url + suffix);
  await page.waitForSelector(`${tid('decision')}[data-decision], ${tid('embed-error')}`);
  return page;
}

for (const scheme of ['light', 'dark']) {
  test(`every screen is axe-clean in the ${scheme} theme`, async () => {
    const page = await open(scheme);
    const found = {};
    found.workspace = await violations(page);
    // the editor's completion list, open under the caret
    const editor = tid('policy-editor');
    const text = await page.inputValue(editor);
    await page.evaluate(([sel, at]) => { const t = document.querySelector(sel); t.focus(); t.setSelectionRange(at, at); }, [editor, text.indexOf('"Effect": "') + 11]);
    await page.keyboard.press('Control+Space');
    await page.waitForSelector(`${tid('completion')} [role="option"]`);
    found['workspace with the completion list'] = await violations(page);
    await page.keyboard.press('Escape');
    await page.evaluate(([sel, at]) => { const t = document.querySelector(sel); t.focus(); t.setSelectionRange(at, at); }, [editor, text.indexOf('"Effect"') + 3]);
    await page.keyboard.press('Control+i');
    await page.waitForSelector(tid('hover'));
    found['workspace with a hover'] = await violations(page);
    await page.keyboard.press('Escape');
    await page.click(tid('tab-summary'));
    await page.waitForSelector(tid('summary'));
    found['workspace with the policy summary'] = await violations(page);
    await page.click(tid('tab-explanation'));
    // the share bar and a challenge's panel are part of the workspace people see
    await page.click(tid('share-button'));
    await page.waitForSelector(tid('share-bar'));
    found['workspace with the share bar'] = await violations(page);
    await page.click(tid('tab-matrix'));
    await page.waitForSelector('table.matrix');
    found.matrix = await violations(page);
    await page.click(tid('tab-gallery'));
    await page.waitForSelector(`${tid('gallery')}[data-state="ready"]`);
    found.gallery = await violations(page);
    await page.click(tid('tab-world'));
    found.world = await violations(page);
    // the Account screen with an import's report, a who-can table and a replay
    await page.click(tid('tab-account'));
    found.account = await violations(page);
    const fixtures = join(ROOT, 'crates', 'abacus-account', 'tests', 'fixtures');
    const payload = (dir, name) => ({ name, mimeType: 'application/json', buffer: readFileSync(join(fixtures, dir, name)) });
    await page.setInputFiles(tid('import-exports'), readdirSync(join(fixtures, 'exports')).filter((n) => n.endsWith('.json')).map((n) => payload('exports', n)));
    await page.waitForSelector(tid('import-notes'));
    await page.fill(tid('who-can-action'), 's3:GetObject');
    await page.fill(tid('who-can-resource'), 'arn:aws:s3:::abacus-ml-data/x.csv');
    await page.press(tid('who-can-resource'), 'Enter');
    await page.waitForSelector(tid('who-can'));
    await page.setInputFiles(tid('replay-file'), [payload('trail', 'cloudtrail-log.json')]);
    await page.waitForSelector(tid('replay'));
    found['account with an import, who can and a replay'] = await violations(page);
    await page.click(tid('share-button'));
    await page.waitForSelector(tid('share-warning'));
    found['the share warning of an imported account'] = await violations(page);
    await page.click(tid('share-cancel'));
    await page.click(tid('tab-gallery'));
    const card = page.locator('[data-testid^="scenario-"]').filter({ has: page.locator(tid('open-solution')) }).first();
    await card.locator('button', { hasText: /^(Open|Resume)$/ }).click();
    await page.waitForSelector(tid('challenge-panel'));
    found['a challenge'] = await violations(page);
    page.on('dialog', (d) => d.accept());
    await page.click(tid('show-solution'));
    await page.waitForSelector(tid('back-to-attempt'));
    found['a shown solution'] = await violations(page);
    await page.evaluate((sel) => { document.querySelector(sel).open = true; }, tid('policy-settings'));
    found['the policy settings'] = await violations(page);
    for (const [screen, v] of Object.entries(found)) assert.deepEqual(v, [], `${scheme} ${screen}`);
  });
}

test('embeds are axe-clean: read-only, editable and broken, light and dark', async () => {
  const full = await open('light');
  await full.click(tid('share-button'));
  const url = await full.inputValue(tid('share-url'));
  const hash = url.slice(url.indexOf('#') + 1);
  for (const scheme of ['light', 'dark']) {
    for (const [what, suffix] of [
      ['read-only', `#embed&${hash}`],
      ['editable', `#embed=edit&${hash}`],
      ['broken', '#embed&s=1.garbage'],
    ]) {
      const page = await open(scheme, suffix);
      assert.deepEqual(await violations(page), [], `${scheme} ${what} embed`);
      await page.context().close();
    }
  }
});
