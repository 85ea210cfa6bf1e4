// Bring your own account, end to end in Debian Chromium: import the synthetic AWS exports
// (several files at once), ask who can, replay a CloudTrail log and a lookup-events page,
// edit a policy and see what the edit changes, open a record's request, open an
// AccessDenied message's request, and share an imported workspace only after the warning
// (anonymised). The fixtures are the synthetic ones of crates/abacus-account/tests/fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, screenshot, useApp, selectPolicy } from './harness.mjs';

const app = useApp();
const tid = (id) => `[data-testid="${id}"]`;
const FIXTURES = join(ROOT, 'crates', 'abacus-account', 'tests', 'fixtures');

/** The export files, as Playwright file payloads. */
function exportFiles() {
  const dir = join(FIXTURES, 'exports');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((name) => ({ name, mimeType: 'application/json', buffer: readFileSync(join(dir, name)) }));
}

const trailFile = (name) => ({ name, mimeType: 'application/json', buffer: readFileSync(join(FIXTURES, 'trail', name)) });

async function openImported() {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  await page.click(tid('tab-account'));
  await page.setInputFiles(tid('import-exports'), exportFiles());
  await page.waitForSelector(tid('import-notes'));
  return page;
}

test('import AWS exports, ask who can, replay a trail and see what an edit changes', async () => {
  const page = await openImported();
  assert.match(await page.textContent(tid('import-report')), /imported account 444455556666 from 15 file\(s\): 1 domain\(s\), 2 user profile\(s\)/);
  assert.match(await page.textContent(tid('import-report')), /list-tags@ana\.json: aws sagemaker list-tags/);
  assert.match(await page.textContent(tid('import-notes')), /AmazonSageMakerReadOnly/);
  // the workspace is the imported account's
  await page.click(tid('tab-workspace'));
  await page.waitForSelector(`${tid('decision')}[data-decision="Allow"]`);
  assert.match(await page.textContent('.brand'), /Imported account 444455556666/);
  // the world editor and the matrix work on the imported world
  await page.click(tid('tab-world'));
  assert.match(await page.textContent(tid('world-users')), /ana[\s\S]*ben/);
  assert.match(await page.textContent(tid('world-roles')), /StudioTeamRedRole/);
  await page.click(tid('tab-matrix'));
  await page.waitForSelector('table.matrix');
  assert.match(await page.textContent('table.matrix'), /s3:GetObject[\s\S]*ana[\s\S]*ben/);
  await page.click(tid('tab-account'));

  // who can read the team's secret: the resource policy denies every IAM user
  await page.fill(tid('who-can-action'), 'secretsmanager:GetSecretValue');
  await page.fill(tid('who-can-resource'), 'arn:aws:secretsmanager:eu-west-1:444455556666:secret:team-red/db-AbCdEf');
  await page.press(tid('who-can-resource'), 'Enter');
  await page.waitForSelector(tid('who-can-summary'));
  assert.equal(await page.textContent(tid('who-can-summary')), '0 allowed, 3 denied');
  assert.equal(await page.getAttribute(`${tid('who-can-row')} >> nth=0`, 'data-decision'), 'ExplicitDeny');
  await page.fill(tid('who-can-action'), 's3:GetObject');
  await page.fill(tid('who-can-resource'), 'arn:aws:s3:::abacus-ml-data/train/part-0001.csv');
  await page.press(tid('who-can-resource'), 'Enter');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '4 allowed, 0 denied', tid('who-can-summary'));

  // replay a log file and a lookup-events page
  await page.setInputFiles(tid('replay-file'), [trailFile('cloudtrail-log.json'), trailFile('lookup-events.json')]);
  await page.waitForSelector(tid('replay-summary'));
  assert.equal(await page.textContent(tid('replay-summary')), '7 agree, 1 disagree, 1 not compared');
  assert.equal(await page.locator(tid('replay-row')).count(), 9);
  assert.equal(await page.getAttribute(`${tid('replay-row')} >> nth=0`, 'data-agrees'), 'false', 'disagreements first');
  await screenshot(page, 'account');

  // an edit: detach the data policy, and the replay says what it changes
  await page.click(tid('tab-workspace'));
  await selectPolicy(page, 'ReadMlData');
  await page.fill(tid('policy-editor'), '{"Version": "2012-10-17", "Statement": []}');
  await page.click(tid('tab-account'));
  await page.waitForSelector(tid('replay-change'));
  assert.equal(await page.textContent(tid('replay-change')), 'this edit would deny 2 of 8 recorded calls, allow 0 that were denied');
  assert.equal(await page.getAttribute(`${tid('replay-row')} >> nth=0`, 'data-changed'), 'true');
  // one click from a record to its explanation
  await page.click(`${tid('replay-row')} >> nth=0 >> ${tid('replay-explain')}`);
  await page.waitForSelector(`${tid('decision')}[data-decision="ImplicitDeny"]`);
  assert.match(await page.textContent(tid('decision')), /s3:(GetObject|ListBucket)/);
});

test('a pasted CloudTrail log replays, and a managed policy version not in effect can be tried', async () => {
  const page = await openImported();
  await page.fill(tid('replay-input'), readFileSync(join(FIXTURES, 'trail', 'cloudtrail-log.json'), 'utf8'));
  await page.click(tid('replay-load'));
  await page.waitForSelector(tid('replay-summary'));
  assert.equal(await page.textContent(tid('replay-summary')), '5 agree, 1 disagree, 1 not compared');
  // ReadMlData v1 (v2 is in effect) has no s3:ListBucket: trying it would deny the listing
  const version = page.locator(`${tid('try-version')}[data-version="v1"]`);
  assert.equal(await version.textContent(), 'Try v1 in the workspace');
  await version.click();
  await page.waitForSelector(tid('replay-change'));
  assert.equal(await page.textContent(tid('replay-change')), 'this edit would deny 1 of 6 recorded calls, allow 0 that were denied');
  assert.equal(await version.textContent(), 'Back to v2 (in effect)');
  await version.click();
  await page.waitForSelector(tid('replay-change'), { state: 'detached' });
});

test('an AccessDenied message pasted alone opens its request', async () => {
  const page = await openImported();
  const message = 'User: arn:aws:iam::444455556666:user/platform-admin is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:444455556666:secret:team-red/db-AbCdEf with an explicit deny in a resource-based policy';
  await page.fill(tid('replay-input'), message);
  await page.click(tid('replay-load'));
  await page.waitForSelector(`${tid('decision')}[data-decision="ExplicitDeny"]`);
  assert.match(await page.textContent(tid('decision')), /platform-admin/);
  // something else is refused, with why
  await page.click(tid('tab-account'));
  await page.fill(tid('replay-input'), 'hello');
  await page.click(tid('replay-load'));
  await page.waitForSelector(tid('replay-errors'));
  assert.match(await page.textContent(tid('replay-errors')), /not an AccessDenied message/);
});

test('a broken export is placed, and nothing is imported', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.waitForSelector(`${tid('decision')}[data-decision]`);
  const before = await page.textContent('.brand');
  await page.click(tid('tab-account'));
  await page.setInputFiles(tid('import-exports'), [{ name: 'details.json', mimeType: 'application/json', buffer: Buffer.from('{"RoleDetailList": [\n  {"Arn": "arn:aws:iam::444455556666:role/r"}\n]}') }]);
  await page.waitForSelector(tid('import-errors'));
  assert.match(await page.textContent(tid('import-errors')), /details\.json:2:3: \$\.RoleDetailList\[0\]: `RoleName` is missing/);
  assert.equal(await page.textContent('.brand'), before, 'the workspace is unchanged');
});

test('sharing an imported workspace warns first, and the anonymised link names nothing of the account', async () => {
  const page = await openImported();
  await page.click(tid('share-button'));
  await page.waitForSelector(tid('share-warning'));
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'share-anonymised');
  assert.equal(await page.locator(tid('share-bar')).count(), 0, 'no link before the choice');
  await page.click(tid('share-anonymised'));
  await page.waitForSelector(tid('share-url'));
  const url = await page.inputValue(tid('share-url'));
  const other = await app.newPage();
  await other.goto(url);
  await other.waitForSelector(`${tid('decision')}[data-decision]`);
  await other.click(tid('tab-world'));
  const world = await other.textContent(tid('world-editor'));
  assert.match(world, /123456789012/);
  for (const name of ['444455556666', 'StudioTeamRedRole', 'platform-admin', 'abacus-ml-data']) {
    assert.ok(!world.includes(name), `${name} in the anonymised link`);
  }
  // Cancel leaves no link
  await page.click(tid('tab-workspace'));
  await page.fill(tid('policy-editor'), (await page.inputValue(tid('policy-editor'))) + ' ');
  await page.click(tid('share-button'));
  await page.click(tid('share-cancel'));
  assert.equal(await page.locator(tid('share-warning')).count(), 0);
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'share-button');
});
