/**
 * What a generator author checks on a held-out set (tests use these): the integrations' layout
 * of every document, determinism, and that the attacks are planted as the set's spec says. Never
 * scores: a sealed set is checked here and measured only at the final measurement (README.md).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { HeldoutDataset, HeldoutProfile } from './index';
import type { SetSpec } from './sets';
import type { FamilyCounts } from './victims';

/** A dotted field of a document (`azure.signinlogs.properties.app_id`). */
export const field = (doc: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((cur, k) => (cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), doc);

/** A digest of a whole dataset, truth included: the same seed must give the same one. */
export const digestOf = (ds: HeldoutDataset): string => createHash('sha256').update(JSON.stringify([ds.train, ds.test, ds.truth])).digest('hex');

/** A set generated again is the same, both profiles, truth included. */
export function assertSameAgain(again: Partial<Record<HeldoutProfile, HeldoutDataset>>, azure: HeldoutDataset, cloudtrail: HeldoutDataset): void {
  assert.equal(digestOf(again['azure-signin'] as HeldoutDataset), digestOf(azure));
  assert.equal(digestOf(again.cloudtrail as HeldoutDataset), digestOf(cloudtrail));
}

/** What a plan asks for, as sorted "family style variant" lines (generic victims included). */
export function plannedAttacks(plan: Record<string, unknown> & { generic: readonly { family: string; style: string; variant?: string }[] }): string[] {
  const want: string[] = [];
  for (const [family, counts] of Object.entries(plan)) {
    if (family === 'generic') continue;
    const c = counts as FamilyCounts<string>;
    for (const style of ['obvious', 'subtle'] as const) for (let k = 0; k < c[style]; k++) want.push(`${family} ${style} ${c.variants?.[style]?.[k] ?? 'classic'}`);
  }
  for (const g of plan.generic) want.push(`${g.family} ${g.style} ${g.variant ?? 'classic'}`);
  return want.sort();
}

/** What a dataset planted, in the same lines. */
export const plantedAttacks = (ds: HeldoutDataset): string[] => ds.truth.attacks.map((a) => `${a.family} ${a.style} ${a.variant ?? 'classic'}`).sort();

/**
 * The fields Elastic's Azure sign-in and CloudTrail integrations index, on every document; event
 * ids unique; the weeks learnt from all before the scored week.
 */
export function assertIntegrationLayout(azure: HeldoutDataset, cloudtrail: HeldoutDataset): void {
  for (const doc of [...azure.train, ...azure.test]) {
    assert.ok(!Number.isNaN(Date.parse(field(doc, '@timestamp') as string)));
    assert.equal(field(doc, 'user.id'), field(doc, 'azure.signinlogs.properties.user_id'));
    assert.equal(field(doc, 'event.id'), field(doc, 'azure.signinlogs.properties.id'));
    assert.equal(field(doc, 'event.outcome'), field(doc, 'azure.signinlogs.properties.status.error_code') === 0 ? 'success' : 'failure');
    assert.equal(typeof field(doc, 'azure.signinlogs.properties.app_display_name'), 'string');
    assert.match(field(doc, 'azure.signinlogs.properties.incoming_token_type') as string, /^(none|primaryRefreshToken|refreshToken)$/);
    assert.match(field(doc, 'azure.signinlogs.properties.authentication_protocol') as string, /^(none|ropc|deviceCode)$/);
  }
  for (const doc of [...cloudtrail.train, ...cloudtrail.test]) {
    assert.ok(!Number.isNaN(Date.parse(field(doc, '@timestamp') as string)));
    assert.equal(typeof field(doc, 'user.name'), 'string');
    assert.match(field(doc, 'event.provider') as string, /\.amazonaws\.com$/);
    const type = field(doc, 'aws.cloudtrail.user_identity.type');
    if (type === 'AssumedRole' || type === 'FederatedUser') {
      // A role's session, or a federated user its IAM user issued: user.name is the issuer.
      assert.ok((field(doc, 'aws.cloudtrail.user_identity.session_context.session_issuer.arn') as string).endsWith(`/${field(doc, 'user.name') as string}`));
    } else {
      assert.equal(field(doc, 'aws.cloudtrail.user_identity.arn'), `arn:aws:iam::${field(doc, 'cloud.account.id') as string}:user/${field(doc, 'user.name') as string}`);
    }
  }
  for (const ds of [azure, cloudtrail]) {
    const ids = [...ds.train, ...ds.test].map((d) => field(d, 'event.id'));
    assert.equal(new Set(ids).size, ids.length, 'event ids are unique');
    const lastTrain = Math.max(...ds.train.map((d) => Date.parse(field(d, '@timestamp') as string)));
    const firstTest = Math.min(...ds.test.map((d) => Date.parse(field(d, '@timestamp') as string)));
    assert.ok(lastTrain < firstTest);
  }
}

/** Every attack the spec plans is planted, with events, all in the scored week and labelled with its family. */
export function assertPlantedAsSpecified(spec: SetSpec, azure: HeldoutDataset, cloudtrail: HeldoutDataset): void {
  assert.deepEqual(plantedAttacks(azure), plannedAttacks(spec.entra));
  assert.deepEqual(plantedAttacks(cloudtrail), plannedAttacks(spec.aws));
  for (const ds of [azure, cloudtrail]) {
    const scored = new Set(ds.test.map((d) => field(d, 'event.id') as string));
    for (const a of ds.truth.attacks) {
      assert.ok(a.eventIds.length > 0, a.story);
      for (const id of a.eventIds) assert.ok(scored.has(id) && ds.truth.attackFamilies[id] === a.family, id);
    }
  }
}

/** Every kind of benign drift is planted, on innocent accounts only, and none of its events is an attack's. */
export function assertDriftInnocent(azure: HeldoutDataset, cloudtrail: HeldoutDataset): void {
  const kinds = (ds: HeldoutDataset): Set<string> => new Set(Object.values(ds.truth.driftEvents));
  for (const kind of ['browser-release', 'new-app', 'business-trip', 'new-hire', 'internet-noise']) assert.ok(kinds(azure).has(kind), kind);
  for (const kind of ['sdk-release', 'new-app', 'deploy-day', 'new-hire', 'business-trip']) assert.ok(kinds(cloudtrail).has(kind), kind);
  for (const ds of [azure, cloudtrail]) {
    const compromised = new Set(ds.truth.compromisedUsers);
    for (const user of Object.keys(ds.truth.benignDrift)) assert.ok(!compromised.has(user), user);
    for (const id of Object.keys(ds.truth.driftEvents)) assert.equal(ds.truth.attackFamilies[id], undefined);
  }
}
