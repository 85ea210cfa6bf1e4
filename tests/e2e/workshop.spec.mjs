// The app as people use it (issue: the challenge loop, own policies, narrow screens, embeds
// that fail loudly): a workshop attendee solving a challenge, an architect bringing their
// own policy, a docs author embedding an example, and a reviewer pasting results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness.mjs';

const app = useApp();

const tid = (id) => `[data-testid="${id}"]`;

/**
 * Opens the app in a fresh context and waits for a decision. Confirmations are accepted
 * (or dismissed, with `dismiss`), and their questions collected in `page.asked`.
 */
async function open(opts = {}, suffix = '', { dismiss = false } = {}) {
  const page = await app.newPage(opts);
  page.asked = [];
  page.on('dialog', (d) => {
    page.asked.push(d.message());
    return dismiss ? d.dismiss() : d.accept();
  });
  await page.goto(app.url + suffix);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  return page;
}

/** Opens the first challenge of the gallery; returns its id. */
async function openChallenge(page) {
  await page.click(tid('tab-gallery'));
  await page.waitForSelector(`${tid('gallery')}[data-state="ready"]`);
  const card = page.locator('[data-testid^="scenario-"]').filter({ has: page.locator(tid('open-solution')) }).first();
  const id = (await card.getAttribute('data-testid')).replace(/^scenario-/, '');
  await card.locator('button', { hasText: /^(Open|Resume)$/ }).click();
  await page.waitForSelector(tid('challenge-panel'));
  return id;
}

/** Opens the settings of the policy in the editor (a <details>, whatever its state). */
const openSettings = (page) => page.evaluate((sel) => { document.querySelector(sel).open = true; }, tid('policy-settings'));

const badgeOf = (page, id) => page.textContent(`${tid(`scenario-${id}`)} ${tid('challenge-badge')}`);

test('the challenge loop: instructions stay, the solution asks first and keeps the attempt, the badge shows my own result after a reload', async () => {
  const page = await open();
  const id = await openChallenge(page);
  const panel = await page.textContent(tid('challenge-panel'));
  assert.match(panel, /Hint/);
  assert.match(await page.textContent(tid('challenge-status')), /^\d+\/\d+ expectations pass$/);
  assert.doesNotMatch(await page.textContent(tid('notice')), new RegExp(`\`${id}\``), 'no raw ids in notices');

  // the worked solution is shown only after the confirmation, and the attempt comes back
  const attemptText = await page.inputValue(tid('policy-editor'));
  const policyTab = await page.getAttribute('[aria-current="true"]', 'data-testid');
  await page.click(tid('show-solution'));
  await page.waitForSelector(tid('back-to-attempt'));
  assert.match(page.asked.pop(), /Show the worked solution\?.*attempt is kept/);
  assert.equal(await page.getAttribute('[aria-current="true"]', 'data-testid'), policyTab, 'the challenge opened on the policy to fix');
  assert.match(await page.textContent(tid('challenge-status')), /showing the worked solution/);
  const solution = await page.inputValue(tid('policy-editor'));
  assert.notEqual(solution, attemptText);
  await page.click(tid('back-to-attempt'));
  await page.waitForSelector(tid('show-solution'));
  assert.equal(await page.inputValue(tid('policy-editor')), attemptText, 'the attempt is kept');

  // the attendee writes the fix themselves: the live count says solved
  await page.fill(tid('policy-editor'), solution);
  await page.waitForFunction((sel) => /^solved/.test(document.querySelector(sel).textContent), tid('challenge-status'));

  // the gallery badge is the attendee's, challenges come first, and both survive a reload
  await page.waitForTimeout(600); // the progress is saved a moment after the last change
  await page.reload();
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.click(tid('tab-gallery'));
  await page.waitForSelector(`${tid('gallery')}[data-state="ready"]`);
  assert.match(await badgeOf(page, id), /^solved \d+\/\d+$/);
  assert.deepEqual((await page.locator('.section-title').allTextContents()).slice(0, 2), ['Courses', 'Challenges']);
  const others = page.locator('[data-testid^="scenario-"]').filter({ has: page.locator(tid('open-solution')) });
  assert.equal(await others.locator(tid('challenge-badge'), { hasText: 'not started' }).count(), (await others.count()) - 1);

  // Resume opens the attempt; Start over (confirmed) opens the shipped document
  await page.click(`${tid(`scenario-${id}`)} button:has-text("Resume")`);
  await page.waitForSelector(tid('challenge-panel'));
  assert.equal(await page.inputValue(tid('policy-editor')), solution);
  await page.click(tid('tab-gallery'));
  await page.click(`${tid(`scenario-${id}`)} ${tid('start-over')}`);
  await page.waitForSelector(tid('challenge-panel'));
  assert.match(page.asked.pop(), /Start .* over\? Your saved attempt \(solved/);
  assert.match(await page.textContent(tid('challenge-status')), /^\d+\/\d+ expectations pass$/);
});

test('a failing expectation loads its request; its failure is said once; a dismissed solution changes nothing', async () => {
  const page = await open({}, '', { dismiss: true });
  await openChallenge(page);
  const failing = page.locator(`${tid('expectations')} li[data-passed="false"]`).first();
  const why = await failing.locator('.why').textContent();
  assert.ok((why.match(/expected/g) ?? []).length <= 1, why);
  // move away from the expectation's request first, so that loading it shows
  const users = await page.locator(`${tid('user-select')} option`).evaluateAll((o) => o.map((x) => x.value));
  const before = { user: await page.inputValue(tid('user-select')), action: await page.inputValue(tid('action-select')) };
  await page.selectOption(tid('user-select'), users.find((u) => u !== before.user));
  await failing.locator(tid('load-expectation')).click();
  await page.waitForFunction(([s, u]) => document.querySelector(s).value === u, [tid('user-select'), before.user]);
  assert.equal(await page.inputValue(tid('action-select')), before.action);
  // the solution, refused at the question, leaves the attempt on screen
  const text = await page.inputValue(tid('policy-editor'));
  await page.click(tid('show-solution'));
  assert.equal(page.asked.length, 1);
  assert.equal(await page.inputValue(tid('policy-editor')), text);
  assert.equal(await page.locator(tid('back-to-attempt')).count(), 0);
});

test('own policies: new, rename, attach and detach, delete', async () => {
  const page = await open();
  const before = await page.locator('[data-testid^="policy-tab-"]').count();
  // the kind list starts on identity policies
  await page.click(tid('new-policy'));
  assert.equal(await page.locator('[data-testid^="policy-tab-"]').count(), before + 1);
  assert.match(await page.textContent('[aria-current="true"]'), /New identity policy/);
  assert.match(await page.inputValue(tid('policy-editor')), /"Version": "2012-10-17"/);
  assert.equal(await page.getAttribute(tid('decision'), 'data-decision'), 'Allow', 'it allows the selected call at once');
  await page.selectOption(tid('new-policy-kind'), { label: 'Service control policy (SCP)' });
  await page.click(tid('new-policy'));
  assert.match(await page.textContent('[aria-current="true"]'), /New SCP/);
  await openSettings(page);
  await page.click(tid('delete-policy'));
  assert.match(page.asked.pop(), /Delete the policy “New SCP”\?/);
  await page.click(`${tid('policy-list')} button:has-text("New identity policy")`);

  // findings are counted in words, not as a bare number
  await page.fill(tid('policy-editor'), '{"Version": "2012-10-17", "Statement": [}');
  await page.waitForFunction(() => /\d+ errors?\b/.test(document.querySelector('[aria-current="true"]').textContent));
  await openSettings(page);
  await page.fill(tid('policy-name'), 'My review policy');
  await page.press(tid('policy-name'), 'Enter');
  await page.waitForFunction(() => /My review policy/.test(document.querySelector('[aria-current="true"]').textContent));
  // a rename keeps the editor's undo history: the broken text is undone to the new policy's
  await page.focus(tid('policy-editor'));
  await page.keyboard.press('Control+z');
  assert.match(await page.inputValue(tid('policy-editor')), /"Sid": "NewStatement"/);

  const boxes = page.locator(`${tid('policy-attachments')} input[type=checkbox]`);
  assert.ok((await boxes.count()) >= 2);
  const checked = await boxes.evaluateAll((b) => b.filter((x) => x.checked).length);
  assert.equal(checked, 1, 'attached where the request meets it');
  await boxes.nth(1).click();
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].filter((x) => x.checked).length === 2, `${tid('policy-attachments')} input`);

  await page.selectOption(tid('user-select'), 'alice');
  await page.click(tid('delete-policy'));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="policy-tab-"]').length === n, before);
  assert.match(await page.textContent(tid('notice')), /deleted the policy “My review policy”/);
});

const BROKEN = {
  truncated: '1.q1ZKz',
  'old version': '0.AAAA',
  'future version': '9.AAAA',
  garbage: 'not-a-link',
};

test('a broken link in an embed shows the error in place, never the default example', async () => {
  for (const [what, payload] of Object.entries(BROKEN)) {
    const page = await app.newPage({ viewport: { width: 800, height: 400 } });
    await page.goto(`${app.url}#embed&s=${payload}`);
    await page.waitForSelector(tid('embed-error'));
    assert.match(await page.textContent(tid('embed-error')), /could not be opened/, what);
    assert.equal(await page.locator(tid('policy-editor')).count(), 0, `${what}: no example shown`);
    await page.context().close();
  }
});

test('narrow screens: one column with the decision in view, for the app and the embed', async () => {
  const page = await open({ viewport: { width: 375, height: 740 } });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 376, `the page is ${width}px wide at 375`);
  const box = await page.locator(tid('decision')).boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 376 && box.y < 740, JSON.stringify(box));

  const full = await open();
  await full.click(tid('share-button'));
  const snippet = await full.inputValue(tid('embed-snippet'));
  const src = snippet.match(/src="([^"]+)"/)[1];
  // the docs author's two iframe sizes
  for (const viewport of [{ width: 400, height: 600 }, { width: 800, height: 400 }]) {
    const embed = await app.newPage({ viewport });
    await embed.goto(src);
    await embed.waitForSelector(`${tid('decision')}[data-decision]`);
    const editor = await embed.locator('.editor-panel').boundingBox();
    assert.ok(editor.width >= 300, `${viewport.width}: the embed's editor is ${editor.width}px wide`);
    const decision = await embed.locator(tid('decision')).boundingBox();
    const overlap = decision.y < editor.y + editor.height && editor.y < decision.y + decision.height
      && decision.x < editor.x + editor.width && editor.x < decision.x + decision.width;
    assert.ok(!overlap, `${viewport.width}: the decision does not cover the editor`);
    assert.ok(await embed.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), `${viewport.width}: no sideways scroll`);
    await embed.context().close();
  }
});

test('the share bar: labelled fields, copy buttons and an editable embed; the link keeps the policy and the tab', async () => {
  const page = await open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('[data-testid="policy-tab-0"]');
  await page.click(tid('tab-cloudtrail'));
  await page.click(tid('share-button'));
  await page.waitForSelector(tid('share-bar'));
  assert.match(await page.textContent(`${tid('share-bar')} label:has(${tid('share-url')})`), /Share link/);
  assert.match(await page.textContent(`${tid('share-bar')} label:has(${tid('embed-snippet')})`), /Embed/);
  assert.match(await page.inputValue(tid('embed-snippet')), /#embed&s=/);
  await page.click(tid('embed-editable'));
  assert.match(await page.inputValue(tid('embed-snippet')), /#embed=edit&s=/);
  await page.click(tid('copy-snippet'));
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^<iframe src=".*#embed=edit&s=/);
  assert.match(await page.textContent(tid('notice')), /copied/);

  const url = await page.inputValue(tid('share-url'));
  const fresh = await open({}, url.slice(url.indexOf('#')));
  assert.equal(await fresh.getAttribute('[data-testid="policy-tab-0"]', 'aria-current'), 'true');
  assert.equal(await fresh.getAttribute(tid('tab-cloudtrail'), 'aria-selected'), 'true');
});

test('export says what it saved; the explanation reads the deciding path first and copies with its structure', async () => {
  const page = await open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await Promise.all([page.waitForEvent('download'), page.click(tid('export-button'))]);
  assert.match(await page.textContent(tid('notice')), /downloaded the scenario as .*\.abacus\.json/);

  await page.selectOption(tid('user-select'), 'bob');
  await page.waitForSelector('.deciding-node');
  const firstPolicy = page.locator(`${tid('explanation')} > ul.trace.root > li`).nth(1);
  assert.equal(await firstPolicy.locator('.deciding-node').count(), 1, 'the deciding policy comes right after the steps');
  assert.equal(await page.locator(`${tid('not-applied')}[open]`).count(), 0, 'what did not apply is collapsed');
  await page.click(tid('copy-explanation'));
  const text = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(text, /^- Evaluation: /);
  assert.match(text, /\n {2}- Statement .*\(decided the request\)/);
});

test('the first visit explains itself and points at the challenges, with the expectations in view', async () => {
  const page = await open();
  await page.waitForSelector(tid('intro'));
  const expectations = await page.locator(tid('expectations')).boundingBox();
  assert.ok(expectations.y < 720, `the expectations start at ${expectations.y}px, below the fold`);
  await page.click(tid('intro-challenges'));
  await page.waitForSelector(`${tid('gallery')}[data-state="ready"]`);
  assert.deepEqual((await page.locator('.section-title').allTextContents()).slice(0, 2), ['Courses', 'Challenges']);
  // not on the next visit
  await page.reload();
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.click(tid('tab-workspace')).catch(() => {});
  await page.selectOption(tid('user-select'), 'bob');
  await page.waitForTimeout(500);
  await page.reload();
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  assert.equal(await page.locator(tid('intro')).count(), 0);
});

test('a typed ARN the new action cannot act on is replaced, with a warning; finding no action says so', async () => {
  const page = await open();
  await page.selectOption(tid('resource-select'), ' custom-arn');
  await page.waitForSelector(tid('resource-arn'));
  await page.selectOption(tid('action-select'), 'sagemaker:CreateUserProfile');
  await page.waitForFunction((sel) => /typed ARN/.test(document.querySelector(sel)?.textContent ?? ''), tid('notice'));
  assert.equal(await page.getAttribute(tid('notice'), 'data-level'), 'warning');
  assert.doesNotMatch(await page.inputValue(tid('resource-arn')), /training-job/);

  await page.fill(tid('action-filter'), 'zzzqqq');
  await page.waitForFunction((sel) => /no action matches/.test(document.querySelector(sel)?.textContent ?? ''), tid('action-matches'));
});

test('an explicit deny draws its icon, not a missing glyph', async () => {
  const page = await open();
  const deny = `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}`;
  await page.fill(tid('policy-editor'), deny);
  await page.waitForSelector(`${tid('decision')}[data-decision="ExplicitDeny"] ${tid('deny-icon')}`);
  assert.doesNotMatch(await page.textContent(tid('decision')), /⛔/);
});

test('an embedded challenge attempt is never recorded in the visitor\'s storage', async () => {
  const page = await open();
  await openChallenge(page);
  await page.click(tid('share-button'));
  const hash = (await page.inputValue(tid('share-url'))).split('#')[1];
  const embed = await app.newPage();
  await embed.goto(`${app.url}#embed=edit&${hash}`);
  await embed.waitForSelector(`${tid('decision')}[data-decision]`);
  await embed.fill(tid('policy-editor'), await embed.inputValue(tid('policy-editor')) + ' ');
  await embed.waitForTimeout(700);
  assert.equal(await embed.evaluate(() => localStorage.length), 0);
});

test('no page errors', () => {
  assert.deepEqual(app.pageErrors, []);
});
