import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAMILIES, generateSet, SETS, setNamed, writeHeldout, type Family, type HeldoutDataset, type HeldoutProfile } from '../datasets/heldout';
import type { FamilyCounts } from '../datasets/heldout/victims';
import { readTruth } from '../server/engine/eval/evaluate';

/** The held-out sets, small: a week to learn from and a fraction of the people (no training here). */
const small = (): Partial<Record<HeldoutProfile, HeldoutDataset>> => generateSet('set1', { scale: 0.2, trainDays: 7 });
const sets = small();
const azure = sets['azure-signin'] as HeldoutDataset;
const cloudtrail = sets.cloudtrail as HeldoutDataset;

const get = (doc: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((cur, k) => (cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), doc);

const digest = (ds: HeldoutDataset): string => createHash('sha256').update(JSON.stringify([ds.train, ds.test, ds.truth])).digest('hex');

test('the same seed makes the same sets', () => {
  const again = small();
  assert.equal(digest(again['azure-signin'] as HeldoutDataset), digest(azure));
  assert.equal(digest(again.cloudtrail as HeldoutDataset), digest(cloudtrail));
});

/** The fields the Azure and AWS integrations index, checked on every document of a set. */
function assertLayout(azure: HeldoutDataset, cloudtrail: HeldoutDataset): void {
  for (const doc of [...azure.train, ...azure.test]) {
    assert.equal(typeof get(doc, '@timestamp'), 'string');
    assert.ok(!Number.isNaN(Date.parse(get(doc, '@timestamp') as string)));
    assert.equal(typeof get(doc, 'event.id'), 'string');
    assert.equal(get(doc, 'user.id'), get(doc, 'azure.signinlogs.properties.user_id'));
    assert.equal(get(doc, 'event.id'), get(doc, 'azure.signinlogs.properties.id'));
    assert.equal(get(doc, 'event.action'), 'Sign-in activity');
    assert.equal(typeof get(doc, 'azure.signinlogs.properties.status.error_code'), 'number');
    assert.equal(get(doc, 'event.outcome'), get(doc, 'azure.signinlogs.properties.status.error_code') === 0 ? 'success' : 'failure');
    assert.equal(typeof get(doc, 'azure.signinlogs.properties.app_display_name'), 'string');
  }
  const types = new Set<unknown>();
  for (const doc of [...cloudtrail.train, ...cloudtrail.test]) {
    assert.equal(typeof get(doc, '@timestamp'), 'string');
    assert.equal(typeof get(doc, 'event.id'), 'string');
    assert.equal(typeof get(doc, 'user.name'), 'string');
    assert.match(get(doc, 'event.provider') as string, /\.amazonaws\.com$/);
    assert.equal(typeof get(doc, 'event.action'), 'string');
    const type = get(doc, 'aws.cloudtrail.user_identity.type');
    types.add(type);
    if (type === 'AssumedRole') {
      // user.name is the role, as the integration writes it; the ARN names the session.
      const role = get(doc, 'aws.cloudtrail.user_identity.session_context.session_issuer.arn') as string;
      assert.ok(role.endsWith(`/${get(doc, 'user.name') as string}`), role);
      assert.match(get(doc, 'aws.cloudtrail.user_identity.arn') as string, /^arn:aws:sts::\d{12}:assumed-role\//);
    } else {
      assert.equal(get(doc, 'aws.cloudtrail.user_identity.arn'), `arn:aws:iam::${get(doc, 'cloud.account.id') as string}:user/${get(doc, 'user.name') as string}`);
    }
    // AWS services acting for the account have their name, not an address, in source.address.
    if (get(doc, 'source.ip') === undefined) assert.match(get(doc, 'source.address') as string, /amazonaws\.com$|^AWS Internal$/);
  }
  assert.deepEqual([...types].sort(), ['AssumedRole', 'IAMUser']);
  const services = cloudtrail.test.filter((d) => get(d, 'source.ip') === undefined);
  assert.ok(services.length > 0, 'calls made by AWS services on the account\'s behalf');
}

test('documents have the integrations\' layout', () => assertLayout(azure, cloudtrail));

test('every attack family is planted and labelled', () => {
  const seen = new Set<Family>();
  for (const ds of [azure, cloudtrail]) {
    for (const family of Object.values(ds.truth.attackFamilies)) seen.add(family);
    for (const a of ds.truth.attacks) {
      assert.ok(a.eventIds.length > 0);
      for (const id of a.eventIds) assert.equal(ds.truth.attackFamilies[id], a.family);
      for (const u of a.users) assert.equal(ds.truth.userFamilies[u], a.family);
    }
    const styles = new Set(ds.truth.attacks.map((a) => a.style));
    assert.deepEqual([...styles].sort(), ['obvious', 'subtle']);
    assert.ok(ds.truth.attacks.some((a) => a.history !== 'established'), 'some victims have little or no history');
  }
  assert.deepEqual([...seen].sort(), (Object.keys(FAMILIES) as Family[]).sort());
  assert.deepEqual([...new Set(Object.values(azure.truth.attackFamilies))].sort(), ['T1078', 'T1110', 'T1213']);
  for (const family of Object.keys(FAMILIES)) {
    assert.ok(Object.values(cloudtrail.truth.userFamilies).filter((f) => f === family).length >= 1, `${family} on CloudTrail`);
  }
});

test('benign drift is labelled innocent', () => {
  for (const ds of [azure, cloudtrail]) {
    const compromised = new Set(ds.truth.compromisedUsers);
    const drifted = Object.keys(ds.truth.benignDrift);
    assert.ok(drifted.length > 0);
    for (const user of drifted) assert.ok(!compromised.has(user), `${user} has benign drift and is compromised`);
    for (const id of Object.keys(ds.truth.driftEvents)) assert.equal(ds.truth.attackFamilies[id], undefined);
  }
  const kinds = (ds: HeldoutDataset): Set<string> => new Set(Object.values(ds.truth.driftEvents));
  for (const kind of ['browser-release', 'new-app', 'business-trip', 'new-hire']) assert.ok(kinds(azure).has(kind), kind);
  for (const kind of ['sdk-release', 'new-app', 'deploy-day', 'new-hire']) assert.ok(kinds(cloudtrail).has(kind), kind);
});

test('truth refers to scored events only, and dfp evaluate reads it', async () => {
  for (const ds of [azure, cloudtrail]) {
    const testIds = new Set(ds.test.map((d) => get(d, 'event.id') as string));
    const trainIds = new Set(ds.train.map((d) => get(d, 'event.id') as string));
    assert.equal(testIds.size + trainIds.size, ds.test.length + ds.train.length, 'event ids are unique');
    assert.deepEqual([...ds.truth.attackEventIds].sort(), Object.keys(ds.truth.attackFamilies).sort());
    for (const id of ds.truth.attackEventIds) assert.ok(testIds.has(id), id);
    for (const id of Object.keys(ds.truth.driftEvents)) assert.ok(testIds.has(id), id);
    const users = new Set(ds.test.map((d) => get(d, ds.truth.userField) as string));
    for (const u of ds.truth.compromisedUsers) assert.ok(users.has(u), u);
    const lastTrain = Math.max(...ds.train.map((d) => Date.parse(get(d, '@timestamp') as string)));
    const firstTest = Math.min(...ds.test.map((d) => Date.parse(get(d, '@timestamp') as string)));
    assert.ok(lastTrain < firstTest, 'attacks and drift only after training');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-heldout-'));
  try {
    const files = writeHeldout(azure, dir);
    const truth = await readTruth(files.truthPath);
    assert.deepEqual(truth.compromisedUsers, azure.truth.compromisedUsers);
    assert.equal(truth.attackEventIds.length, azure.truth.attackEventIds.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- set 3 (sealed: generated here, never scored)

/** Set 3, small: at this scale every planted attack still finds a victim. */
const smallSet3 = (): Partial<Record<HeldoutProfile, HeldoutDataset>> => generateSet('set3', { scale: 0.35, trainDays: 7 });
const set3 = smallSet3();
const azure3 = set3['azure-signin'] as HeldoutDataset;
const cloudtrail3 = set3.cloudtrail as HeldoutDataset;

test('every set is evaluated by default, set3 among them', () => {
  assert.deepEqual(SETS.map((s) => s.name), ['set1', 'set2', 'set3']);
  assert.equal(setNamed('set3').org, 'maplecrest');
});

test('set3: the same seed makes the same documents', () => {
  const again = smallSet3();
  assert.equal(digest(again['azure-signin'] as HeldoutDataset), digest(azure3));
  assert.equal(digest(again.cloudtrail as HeldoutDataset), digest(cloudtrail3));
  assert.notEqual(digest(azure3), digest(azure), 'another organisation than set1');
});

test('set3: documents have the integrations\' layout', () => assertLayout(azure3, cloudtrail3));

/** What a plan asks for, as "family style variant" → count (generic victims included). */
function planned(plan: Record<string, unknown> & { generic: readonly { family: string; style: string; variant?: string }[] }): Map<string, number> {
  const want = new Map<string, number>();
  const add = (key: string): void => void want.set(key, (want.get(key) ?? 0) + 1);
  for (const [family, counts] of Object.entries(plan)) {
    if (family === 'generic') continue;
    const c = counts as FamilyCounts<string>;
    for (const style of ['obvious', 'subtle'] as const) {
      for (let k = 0; k < c[style]; k++) add(`${family} ${style} ${c.variants?.[style]?.[k] ?? 'classic'}`);
    }
  }
  for (const g of plan.generic) add(`${g.family} ${g.style} ${g.variant ?? 'classic'}`);
  return want;
}

const plantedIn = (ds: HeldoutDataset): Map<string, number> => {
  const got = new Map<string, number>();
  for (const a of ds.truth.attacks) got.set(`${a.family} ${a.style} ${a.variant ?? 'classic'}`, (got.get(`${a.family} ${a.style} ${a.variant ?? 'classic'}`) ?? 0) + 1);
  return got;
};

test('set3: plants what its spec says, labelled with the usual families', () => {
  const spec = setNamed('set3');
  const sorted = (m: Map<string, number>): [string, number][] => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.deepEqual(sorted(plantedIn(azure3)), sorted(planned(spec.entra)));
  assert.deepEqual(sorted(plantedIn(cloudtrail3)), sorted(planned(spec.aws)));
  for (const ds of [azure3, cloudtrail3]) {
    for (const a of ds.truth.attacks) {
      assert.ok(a.eventIds.length > 0, a.story);
      for (const id of a.eventIds) assert.equal(ds.truth.attackFamilies[id], a.family);
    }
  }
  // Compromised users per family: one per attack, plus the accounts an intrusion makes or takes over.
  const perFamily = (ds: HeldoutDataset): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const f of Object.values(ds.truth.userFamilies)) out[f] = (out[f] ?? 0) + 1;
    return out;
  };
  assert.deepEqual(perFamily(azure3), { T1078: 9, T1110: 7, T1213: 4 });
  assert.deepEqual(perFamily(cloudtrail3), { T1078: 4, T1098: 6, T1110: 3, T1213: 2, T1530: 4, T1537: 4 });
  assert.equal(azure3.truth.compromisedUsers.length, 20);
});

test('set3: benign drift is present and innocent', () => {
  const kinds = (ds: HeldoutDataset): Set<string> => new Set(Object.values(ds.truth.driftEvents));
  for (const kind of ['browser-release', 'new-app', 'business-trip', 'new-hire', 'internet-noise']) assert.ok(kinds(azure3).has(kind), kind);
  for (const kind of ['sdk-release', 'new-app', 'deploy-day', 'new-hire']) assert.ok(kinds(cloudtrail3).has(kind), kind);
  for (const ds of [azure3, cloudtrail3]) {
    const compromised = new Set(ds.truth.compromisedUsers);
    for (const user of Object.keys(ds.truth.benignDrift)) assert.ok(!compromised.has(user), user);
    for (const id of Object.keys(ds.truth.driftEvents)) assert.equal(ds.truth.attackFamilies[id], undefined);
  }
  // The cloud-gateway spray also fails against accounts it does not break into: innocent noise.
  const sprayed = azure3.test.filter((d) => get(d, 'azure.signinlogs.properties.app_display_name') === 'Azure Active Directory PowerShell');
  const innocent = sprayed.filter((d) => azure3.truth.driftEvents[get(d, 'event.id') as string] === 'internet-noise');
  assert.ok(innocent.length > 0 && innocent.length < sprayed.length, 'spray tries against innocent and compromised accounts');
});
