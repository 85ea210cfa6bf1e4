// The policy editor in Debian Chromium: auto-indent on Enter, undo and redo one edit at a
// time, the caret kept in view on long lines and long documents with the highlighted
// overlay following the textarea's scroll, and a visible keyboard focus on the editor and
// on Import. Run after `cargo xtask dist`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useApp, selectPolicy } from './harness.mjs';

const app = useApp();

const tid = (id) => `[data-testid="${id}"]`;
const EDITOR = tid('policy-editor');

/** Opens the app in a fresh context and waits for the first decision. */
async function open(opts = {}) {
  const page = await app.newPage(opts);
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  return page;
}

const valueOf = (page) => page.inputValue(EDITOR);

/** Focuses the editor and puts the selection at `start`..`end` (UTF-16 offsets). */
async function select(page, start, end = start) {
  await page.evaluate(([sel, s, e]) => {
    const t = document.querySelector(sel);
    t.focus();
    t.setSelectionRange(s, e);
  }, [EDITOR, start, end]);
}

const selectionOf = (page) =>
  page.evaluate((sel) => {
    const t = document.querySelector(sel);
    return [t.selectionStart, t.selectionEnd];
  }, EDITOR);

/** Waits until the editor holds `want` (the app re-renders after each edit). */
async function expectValue(page, want, message) {
  await page.waitForFunction(([sel, w]) => document.querySelector(sel)?.value === w, [EDITOR, want], { timeout: 3000 }).catch(() => {});
  assert.equal(await valueOf(page), want, message);
}

test('Enter keeps the indentation, indents after a bracket and splits a bracket pair', async () => {
  const page = await open();
  const text = '{\n  "Statement": []\n}';
  await page.fill(EDITOR, text);
  await select(page, text.indexOf('[') + 1);
  await page.keyboard.press('Enter');
  await expectValue(page, '{\n  "Statement": [\n    \n  ]\n}', 'the closing bracket goes on its own line');
  const caret = '{\n  "Statement": [\n    '.length;
  assert.deepEqual(await selectionOf(page), [caret, caret]);
  await page.keyboard.type('"a",');
  await page.keyboard.press('Enter');
  await expectValue(page, '{\n  "Statement": [\n    "a",\n    \n  ]\n}', 'the next line keeps the indentation');
});

test('Tab then Ctrl+Z undoes the whole indent, and redo does it again', async () => {
  const page = await open();
  const text = '{\n"Version": "2012-10-17"\n}';
  await page.fill(EDITOR, text);
  await select(page, 2);
  await page.keyboard.press('Tab');
  const indented = '{\n  "Version": "2012-10-17"\n}';
  await expectValue(page, indented);
  await page.keyboard.press('Control+z');
  await expectValue(page, text, 'one undo removes both spaces');
  assert.deepEqual(await selectionOf(page), [2, 2], 'undo puts the caret back');
  await page.keyboard.press('Control+Shift+Z');
  await expectValue(page, indented, 'Ctrl+Shift+Z redoes');
  await page.keyboard.press('Control+z');
  await expectValue(page, text);
  await page.keyboard.press('Control+y');
  await expectValue(page, indented, 'Ctrl+Y redoes');
  // Enter's auto-indent is one step too
  await page.keyboard.press('Control+z');
  await select(page, text.length - 1);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+z');
  await expectValue(page, text, 'one undo removes the line break and its indentation');
});

test('undo removes a typed word, not one character, and never reaches another policy', async () => {
  const page = await open();
  const before = await valueOf(page);
  const at = before.indexOf('{') + 1;
  await select(page, at);
  await page.keyboard.type('hello');
  await expectValue(page, before.slice(0, at) + 'hello' + before.slice(at));
  await page.keyboard.type(' world');
  await page.keyboard.press('Control+z');
  await expectValue(page, before.slice(0, at) + 'hello' + before.slice(at), 'the second word goes first');
  await page.keyboard.press('Control+z');
  await expectValue(page, before, 'then the first word, whole');
  assert.deepEqual(await selectionOf(page), [at, at]);
  await page.keyboard.press('Control+Shift+Z');
  await expectValue(page, before.slice(0, at) + 'hello' + before.slice(at), 'redo brings the word back');
  // another policy: its text is not undoable into this one's
  const others = page.locator('[data-testid^="policy-tab-"]:not([aria-current="true"])');
  assert.ok((await others.count()) >= 1, 'the default scenario has several policies');
  await others.first().click();
  await page.waitForFunction(([sel, b]) => !document.querySelector(sel).value.includes(b), [EDITOR, 'hello']);
  const other = await valueOf(page);
  await page.focus(EDITOR);
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(100);
  assert.equal(await valueOf(page), other, 'nothing to undo in a policy just opened');
});

/** Where the caret is drawn and what the editor shows, in page coordinates. */
function geometry(page) {
  return page.evaluate((sel) => {
    const ta = document.querySelector(sel);
    const editor = ta.closest('.editor');
    const pre = editor.querySelector('.overlay');
    const box = (el) => el.getBoundingClientRect();
    // the overlay draws the text (the same characters as the textarea's value): find the
    // character next to the caret in it, and where it is drawn
    const charRect = (offset) => {
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (offset < seen + node.length) {
          const range = document.createRange();
          range.setStart(node, offset - seen);
          range.setEnd(node, offset - seen + 1);
          return range.getBoundingClientRect();
        }
        seen += node.length;
      }
      return null;
    };
    const at = ta.selectionStart;
    const afterNewline = at === 0 || ta.value[at - 1] === '\n';
    const next = charRect(at);
    const prev = afterNewline ? null : charRect(at - 1);
    const view = box(editor);
    // text under the gutter is hidden too
    const gutterRight = box(editor.querySelector('.gutter')).right;
    return {
      scrollLeft: ta.scrollLeft,
      scrollTop: ta.scrollTop,
      // the textarea's text and the overlay's text start at the same point on screen
      textareaText: [box(ta).left - ta.scrollLeft, box(ta).top - ta.scrollTop],
      overlayText: [box(pre).left, box(pre).top],
      // the caret is as tall as the text's glyph box, not the line box
      caret: prev ? [prev.right, prev.top, prev.bottom] : [next.left, next.top, next.bottom],
      view: [gutterRight, view.top, view.right, view.bottom],
    };
  }, EDITOR);
}

function assertCaretShownAndAligned(g, what) {
  const [x, y, yEnd] = g.caret;
  const [left, top, right, bottom] = g.view;
  assert.ok(x >= left && x <= right, `${what}: caret x ${x} outside ${left}..${right}`);
  assert.ok(y >= top && yEnd <= bottom, `${what}: caret ${y}..${yEnd} outside ${top}..${bottom}`);
  assert.ok(Math.abs(g.textareaText[0] - g.overlayText[0]) < 1, `${what}: overlay x ${g.overlayText[0]} vs textarea ${g.textareaText[0]}`);
  assert.ok(Math.abs(g.textareaText[1] - g.overlayText[1]) < 1, `${what}: overlay y ${g.overlayText[1]} vs textarea ${g.textareaText[1]}`);
}

test('the caret stays in view on a long line and a long document, with the overlay aligned', async () => {
  const page = await open();
  const long = `{\n  "Sid": "${'x'.repeat(400)}",\n  "Effect": "Allow"\n}`;
  await page.fill(EDITOR, long);
  await select(page, 2);
  await page.keyboard.press('End');
  await page.keyboard.type('abc');
  await page.waitForTimeout(100);
  let g = await geometry(page);
  assert.ok(g.scrollLeft > 0, `the textarea scrolled sideways (scrollLeft ${g.scrollLeft})`);
  assertCaretShownAndAligned(g, 'end of a long line');
  await page.keyboard.press('Home');
  await page.waitForTimeout(100);
  g = await geometry(page);
  assertCaretShownAndAligned(g, 'back at the start of the line');

  const lines = Array.from({ length: 150 }, (_, i) => `  "k${i}": ${i},`).join('\n');
  await page.fill(EDITOR, `{\n${lines}\n  "end": 0\n}`);
  await select(page, 0);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('"more": 1');
  await page.waitForTimeout(100);
  g = await geometry(page);
  assert.ok(g.scrollTop > 0, `the textarea scrolled down (scrollTop ${g.scrollTop})`);
  assertCaretShownAndAligned(g, 'end of a long document');
});

/** The focus ring of `el` as drawn by it, or by its ::after (outline and box-shadow). */
function ringOf(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const parts = [];
    for (const pseudo of [null, '::after']) {
      const s = getComputedStyle(el, pseudo);
      if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) parts.push(`outline ${s.outlineWidth} ${s.outlineColor}`);
      if (s.boxShadow !== 'none') parts.push(`shadow ${s.boxShadow}`);
    }
    return parts.join('; ');
  }, selector);
}

for (const colorScheme of ['light', 'dark']) {
  test(`keyboard focus is visible on the editor and on Import (${colorScheme})`, async () => {
    const page = await open({ colorScheme });
    const editorRing = async () => `${await ringOf(page, EDITOR)} | ${await ringOf(page, '.editor')}`;
    const idle = await editorRing();
    await page.keyboard.press('Alt+E');
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'policy-editor');
    const focused = await editorRing();
    assert.notEqual(focused, idle, `the editor looks the same focused (${focused}) and not (${idle})`);
    assert.notEqual(focused.replace(/[ |]/g, ''), '', 'the focused editor draws a ring');
    // Esc then Tab still leaves the editor
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement.dataset.testid), 'policy-editor');

    const label = tid('import-button');
    const before = await ringOf(page, label);
    await page.focus(tid('share-button'));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'import-file');
    const ring = await ringOf(page, label);
    assert.notEqual(ring, '', 'Import shows a ring when its file input has keyboard focus');
    assert.notEqual(ring, before);
  });
}

const decisionOf = (page) => page.getAttribute(tid('decision'), 'data-decision');

/** The selected option's `data-value`, as the textarea's aria-activedescendant names it. */
const activeValue = (page) =>
  page.evaluate((sel) => {
    const id = document.querySelector(sel).getAttribute('aria-activedescendant');
    return id ? document.getElementById(id)?.dataset.value ?? null : null;
  }, EDITOR);

test('completion: type "sagemaker:Sto, pick StopTrainingJob with the keyboard, and the decision changes', async () => {
  const page = await open();
  // alice stopping bob's training job is denied (the seed's ABAC policy)
  assert.equal(await decisionOf(page), 'ImplicitDeny');
  await selectPolicy(page, 'TrainingJobPermissions');
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": [\n      \n    ],\n    "Resource": "*"\n  }]\n}';
  await page.fill(EDITOR, text);
  await select(page, text.indexOf('[\n      ') + 8);
  // the list opens by itself after `"` in an Action value, with the services
  await page.keyboard.type('"');
  await page.waitForSelector(`${tid('completion')} [role="option"]`);
  assert.equal(await page.getAttribute(EDITOR, 'aria-controls'), await page.getAttribute(tid('completion'), 'id'));
  await page.keyboard.type('sagemaker:Sto');
  await page.waitForFunction((sel) => [...document.querySelectorAll(`${sel} [role="option"]`)].every((o) => o.dataset.value.startsWith('sagemaker:Sto')), tid('completion'));
  const values = await page.$$eval(`${tid('completion')} [role="option"]`, (os) => os.map((o) => o.dataset.value));
  assert.ok(values.includes('sagemaker:StopTrainingJob"'), values.join(' '));
  assert.equal(values[0], 'sagemaker:Sto*"', 'the wildcard of what was typed comes first');
  // arrows move the selection the textarea announces
  for (let i = 0; i < values.length && (await activeValue(page)) !== 'sagemaker:StopTrainingJob"'; i++) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await activeValue(page), 'sagemaker:StopTrainingJob"');
  await screenshot(page, 'completion');
  assert.equal(await page.getAttribute(`#${await page.getAttribute(EDITOR, 'aria-activedescendant')}`, 'aria-selected'), 'true');
  await page.keyboard.press('Enter');
  await page.waitForSelector(tid('completion'), { state: 'detached' });
  assert.match(await valueOf(page), /"Action": \[\n      "sagemaker:StopTrainingJob"\n    \]/);
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-decision') === 'Allow', tid('decision'), { timeout: 5000 });
  // the Resource offers the ARN format of what the statement's actions act on, with the
  // world's partition, Region and account
  const now = await valueOf(page);
  await select(page, now.indexOf('"Resource": "*"') + 13);
  await page.keyboard.press('Control+Space');
  await page.waitForSelector(`${tid('completion')} [role="option"]`);
  const arns = await page.$$eval(`${tid('completion')} [role="option"]`, (os) => os.map((o) => o.dataset.value));
  assert.ok(arns.includes('arn:aws:sagemaker:us-east-1:111122223333:training-job/*'), arns.join(' '));
  await page.keyboard.press('Escape');
  await select(page, now.indexOf('"sagemaker:StopTrainingJob"') + 20);
  // one edit: Ctrl+Z takes the accepted item back to what was typed
  await page.keyboard.press('Control+z');
  assert.match(await valueOf(page), /"Action": \[\n      "sagemaker:Sto\n/);
});

test('completion: Ctrl+Space opens, Esc closes, and Esc then Tab still leaves the editor', async () => {
  const page = await open();
  const text = '{"Statement": [{"Effect": ""}]}';
  await page.fill(EDITOR, text);
  await select(page, text.indexOf('""') + 1);
  await page.keyboard.press('Control+Space');
  await page.waitForSelector(`${tid('completion')} [role="option"]`);
  const values = await page.$$eval(`${tid('completion')} [role="option"]`, (os) => os.map((o) => o.dataset.value));
  assert.deepEqual(values, ['Allow', 'Deny']);
  // Tab accepts while a list is open
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await expectValue(page, '{"Statement": [{"Effect": "Deny"}]}');
  await page.keyboard.press('Control+Space');
  await page.waitForSelector(tid('completion'));
  await page.keyboard.press('Escape');
  await page.waitForSelector(tid('completion'), { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'policy-editor', 'Esc closes the list only');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.dataset.testid), 'policy-editor', 'Esc then Tab leaves');
});

test('quick fixes: a trailing comma from the list, aws:ResourceTag on a create action with Ctrl+.', async () => {
  const page = await open();
  await selectPolicy(page, 'TrainingJobPermissions');
  const comma = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "sagemaker:*",\n    "Resource": "*",\n  }]\n}';
  await page.fill(EDITOR, comma);
  const fix = `${tid('quick-fix')}[data-code="json-trailing-comma"]`;
  await page.waitForSelector(fix);
  assert.match(await page.textContent(fix), /Remove the trailing comma/);
  await page.locator(fix).scrollIntoViewIfNeeded();
  await screenshot(page, 'quick-fix');
  await page.click(fix);
  await expectValue(page, comma.replace('"*",\n  }', '"*"\n  }'), 'the comma is gone');
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-decision') === 'Allow', tid('decision'), { timeout: 5000 });
  // one edit: Ctrl+Z brings the comma back
  await page.focus(EDITOR);
  await page.keyboard.press('Control+z');
  await expectValue(page, comma, 'undone in one step');

  // "Controlling access to AWS resources using tags": create actions test aws:RequestTag
  const create = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "sagemaker:CreateTrainingJob",\n    "Resource": "*",\n    "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}\n  }]\n}';
  await page.fill(EDITOR, create);
  await page.waitForSelector(`${tid('quick-fix')}[data-code="condition-key-not-applicable"]`);
  await select(page, create.indexOf('aws:ResourceTag'));
  await page.keyboard.press('Control+.');
  await expectValue(page, create.replace('aws:ResourceTag/team', 'aws:RequestTag/team'), 'Ctrl+. fixes the finding on the caret line');
  await page.waitForSelector(`${tid('quick-fix')}[data-code="condition-key-not-applicable"]`, { state: 'detached' });
});

test('Format document pretty-prints, changes only whitespace, and is one undoable edit', async () => {
  const page = await open();
  const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sagemaker:StopTrainingJob"],"Resource":"*"}]}';
  await page.fill(EDITOR, text);
  await page.click(tid('format-document'));
  const formatted = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": [\n        "sagemaker:StopTrainingJob"\n      ],\n      "Resource": "*"\n    }\n  ]\n}\n';
  await expectValue(page, formatted);
  await page.focus(EDITOR);
  await page.keyboard.press('Control+z');
  await expectValue(page, text, 'one Ctrl+Z takes the formatting back');
  // broken JSON is left alone, with why
  await page.fill(EDITOR, '{"a": 1,}');
  await page.click(tid('format-document'));
  await page.waitForFunction(() => /not formatted: the text has 1 JSON error/.test(document.body.textContent));
  assert.equal(await valueOf(page), '{"a": 1,}');
});

test('the Summary tab summarises the policy per service and selects a statement', async () => {
  const page = await open();
  await selectPolicy(page, 'TrainingJobPermissions');
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Sid": "Read", "Effect": "Allow", "Action": ["sagemaker:Describe*", "sagemaker:List*"], "Resource": "*"},\n    {"Sid": "Stop", "Effect": "Allow", "Action": "sagemaker:StopTrainingJob", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}},\n    {"Sid": "Typo", "Effect": "Deny", "Action": "sagemaker:StopTrainingJobs", "Resource": "*"}\n  ]\n}';
  await page.fill(EDITOR, text);
  await page.click(tid('tab-summary'));
  const sagemaker = `${tid('summary')} [data-service="sagemaker"]`;
  await page.waitForSelector(sagemaker);
  // IAM User Guide, "Access levels in policy summaries": Describe* and List* reach List and
  // Read; StopTrainingJob is Write
  assert.match(await page.textContent(`${sagemaker} h3`), /allows List, Read, Write/);
  assert.match(await page.textContent(tid('summary')), /Not recognised[\s\S]*sagemaker:StopTrainingJobs/);
  assert.match(await page.textContent(`${sagemaker} li[data-statement="1"]`), /StringEquals aws:ResourceTag\/team/);
  await page.click(`${sagemaker} li[data-statement="1"] button`);
  const [from] = await selectionOf(page);
  const utf16 = (s) => s.length; // ASCII text: bytes are UTF-16 units
  assert.equal(from, utf16(text.slice(0, text.indexOf('{"Sid": "Stop"'))), 'the statement is selected in the editor');
});

test('hover: Ctrl+I on the caret and a resting pointer explain the name, with the request\'s values', async () => {
  const page = await open();
  await selectPolicy(page, 'TrainingJobPermissions');
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "sagemaker:StopTrainingJob",\n    "Resource": "arn:aws:sagemaker:us-east-1:111122223333:training-job/${aws:SourceIdentity}-*"\n  }]\n}';
  await page.fill(EDITOR, text);
  await select(page, text.indexOf('StopTraining') + 4);
  await page.keyboard.press('Control+i');
  await page.waitForSelector(tid('hover'));
  const about = await page.textContent(tid('hover'));
  assert.match(about, /sagemaker:StopTrainingJob/);
  assert.match(about, /access level: Write/);
  await screenshot(page, 'hover');
  assert.match(await page.getAttribute(EDITOR, 'aria-describedby'), new RegExp(await page.getAttribute(tid('hover'), 'id')));
  // its documentation: the action's API reference page, then the service's page of the
  // Service Authorization Reference (both from the reference data)
  const links = await page.$$eval(tid('hover-link'), (as) => as.map((a) => [a.getAttribute('href'), a.target, a.rel]));
  assert.deepEqual(links.map(([href]) => href), [
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StopTrainingJob.html',
    'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html',
  ]);
  assert.ok(links.every(([, target, rel]) => target === '_blank' && /noopener/.test(rel)));
  // Ctrl+I again: into the links; Tab to the next; Esc: back to the editor, caret kept
  await page.keyboard.press('Control+i');
  const focusedHref = () => page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.equal(await focusedHref(), links[0][0]);
  await page.keyboard.press('Tab');
  assert.equal(await focusedHref(), links[1][0]);
  await page.keyboard.press('Escape');
  await page.waitForSelector(tid('hover'), { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'policy-editor');
  assert.deepEqual(await selectionOf(page), [text.indexOf('StopTraining') + 4, text.indexOf('StopTraining') + 4]);
  // any key closes it
  await page.keyboard.press('Control+i');
  await page.waitForSelector(tid('hover'));
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector(tid('hover'), { state: 'detached' });
  // a variable: what it is in the selected request (alice's Studio session)
  await select(page, text.indexOf('SourceIdentity}') + 3);
  await page.keyboard.press('Control+i');
  await page.waitForSelector(tid('hover'));
  assert.match(await page.textContent(tid('hover')), /in the current request: `alice`/);
  await page.keyboard.press('Escape');
  // the pointer resting on the action name
  const box = await page.locator(EDITOR).boundingBox();
  const ch = await page.evaluate(() => document.querySelector('.code .measure').offsetWidth / 10);
  const line = 4;
  const column = '    "Action": "sagemaker:S'.length;
  await page.mouse.move(box.x + 8 + column * ch + 2, box.y + 8 + line * 20 + 10);
  await page.waitForSelector(tid('hover'), { timeout: 3000 });
  assert.match(await page.textContent(tid('hover')), /sagemaker:StopTrainingJob/);
  // the pointer can move onto the tooltip (to its links) without closing it
  const tipBox = await page.locator(tid('hover')).boundingBox();
  await page.mouse.move(tipBox.x + 10, tipBox.y + tipBox.height - 4, { steps: 4 });
  await page.waitForTimeout(800);
  assert.equal(await page.locator(tid('hover')).count(), 1, 'the tooltip stays under the pointer');
  await page.mouse.move(box.x + box.width + 50, box.y - 50);
  await page.waitForSelector(tid('hover'), { state: 'detached' });
});

test('the whole editor flow without a mouse: complete, fix, format, summary', async () => {
  const page = await open();
  const focused = () => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);
  /** Presses Tab until the element with test id `id` has the focus (at most 60 times). */
  const tabTo = async (id) => {
    for (let i = 0; i < 60 && (await focused()) !== id; i++) await page.keyboard.press('Tab');
    assert.equal(await focused(), id, `Tab reaches ${id}`);
  };
  await page.keyboard.press('Alt+e');
  assert.equal(await focused(), 'policy-editor');
  await page.keyboard.press('Control+a');
  // the action is completed from the list; the lists opened on the way are ignored
  await page.keyboard.type('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:StopTrainingJo');
  await page.waitForFunction((sel) => [...document.querySelectorAll(`${sel} [role="option"]`)].some((o) => o.dataset.value === 'sagemaker:StopTrainingJob"'), tid('completion'));
  await page.keyboard.press('Enter');
  await page.keyboard.type(', "Resource": "*",}]}');
  await page.keyboard.press('Escape');
  await expectValue(page, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:StopTrainingJob", "Resource": "*",}]}');
  // the trailing comma, fixed from the caret's line
  await page.keyboard.press('Control+.');
  await expectValue(page, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:StopTrainingJob", "Resource": "*"}]}');
  // Format sits just before the editor
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'format-document');
  await page.keyboard.press('Enter');
  await page.waitForFunction((sel) => document.querySelector(sel).value.startsWith('{\n  "Version"'), EDITOR);
  // the Summary tab, and from it the statement in the editor (Format gave the editor the
  // focus back: Esc, then Tab leaves it)
  assert.equal(await focused(), 'policy-editor');
  await page.keyboard.press('Escape');
  await tabTo('tab-summary');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${tid('summary')} [data-service="sagemaker"]`);
  for (let i = 0; i < 60 && !(await page.evaluate(() => document.activeElement?.closest?.('[data-testid="summary"]'))); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'policy-editor', 'the statement is selected in the editor');
  const [from, to] = await selectionOf(page);
  assert.ok(to > from, 'a statement is selected');
});

test('no page errors or console errors in the editor specs', () => {
  assert.deepEqual(app.pageErrors, []);
});
