/**
 * Generation for the login profiles (azure-signin, okta, duo): the population's benign days run
 * through the profile's flow and renderer, then compromises are planted on a few users.
 */
import { LOGIN_ATTACKS, planLoginAttack, planSprayNoise } from './attacks_login';
import type { Attempt } from './auth';
import { azureFlow, renderAzure } from './azure_signin';
import { duoFlow, renderDuo } from './duo';
import { oktaFlow, renderOkta } from './okta';
import { buildPopulation, Company, HumanUser, LoginProfile } from './population';
import { Rng } from './rng';
import { Activity, humanDay } from './timeline';
import type { Generated, GenContext, Timed } from './types';
import type { RawEvent } from '../../server/engine/types';

type Flow = (a: Activity, rng: Rng, state: Map<string, number>) => Attempt[];
type Render = (a: Attempt, rng: Rng, company: Company) => RawEvent | null;

/** Events per activity, measured, so that eventsPerUserPerDay means events. */
const EVENTS_PER_ACTIVITY: Record<LoginProfile, number> = { 'azure-signin': 0.67, okta: 1.36, duo: 0.41 };

function idOf(doc: RawEvent, profile: LoginProfile): string {
  if (profile === 'duo') return ((doc.cisco_duo as { auth: { txid: string } }).auth.txid);
  return (doc.event as { id: string }).id;
}

export function generateLogin(ctx: GenContext): Generated {
  const profile = ctx.profile as LoginProfile;
  const root = new Rng(`synth:${profile}:${ctx.seed}`);
  const pop = buildPopulation(root, {
    profile,
    users: ctx.users,
    totalDays: ctx.totalDays,
    trainDays: ctx.trainDays,
    meanRate: ctx.eventsPerUserPerDay / EVENTS_PER_ACTIVITY[profile],
  });
  const flow: Flow = profile === 'azure-signin' ? (a, r) => azureFlow(a, r) : profile === 'okta' ? (a, r) => oktaFlow(a, r) : duoFlow;
  const render: Render = profile === 'azure-signin' ? renderAzure : profile === 'okta' ? renderOkta : renderDuo;
  const env = { startMs: ctx.startMs };
  const events: Timed[] = [];
  const trainEvents = new Map<HumanUser, number>();
  const testActs = new Map<HumanUser, Activity[]>();

  for (const u of pop.users) {
    const state = new Map<string, number>();
    let nTrain = 0;
    const inTest: Activity[] = [];
    for (let d = -1; d <= ctx.totalDays; d++) {
      const rng = root.fork(`day:${u.idx}:${d}`);
      for (const a of humanDay(u, d, env, rng)) {
        let used = false;
        for (const at of flow(a, rng, state)) {
          if (at.t < ctx.startMs || at.t >= ctx.endMs) continue;
          const doc = render(at, rng, pop.company);
          if (!doc) continue;
          events.push({ t: at.t, doc });
          used = true;
          if (at.t < ctx.testStart) nTrain++;
        }
        if (used && a.t >= ctx.testStart) inTest.push(a);
      }
    }
    trainEvents.set(u, nTrain);
    testActs.set(u, inTest);
  }

  // Failed spray campaigns from the internet: background noise, not compromises (not in the truth).
  const nrng = root.fork('noise');
  for (const at of !ctx.backgroundNoise ? [] : planSprayNoise(profile, pop.users, { startMs: ctx.startMs, totalDays: ctx.totalDays }, nrng)) {
    if (at.t < ctx.startMs || at.t >= ctx.endMs) continue;
    const doc = render(at, nrng, pop.company);
    if (doc) events.push({ t: at.t, doc });
  }

  const attacks: Generated['attacks'] = [];
  if (ctx.compromisedUsers > 0) {
    const arng = root.fork('attacks');
    // Victims: people (not service accounts) with some history who are still around in test.
    const humans = pop.users.filter((u) => u.kind === 'human');
    let eligible = humans.filter((u) => (trainEvents.get(u) ?? 0) > 0 && u.leaveDay > ctx.trainDays + 1);
    if (eligible.length < ctx.compromisedUsers) eligible = humans.length >= ctx.compromisedUsers ? humans : pop.users;
    const victims = arng.sample(eligible, Math.min(ctx.compromisedUsers, eligible.length));
    const kinds = arng.shuffle(LOGIN_ATTACKS[profile].slice());
    victims.forEach((u, i) => {
      const kind = kinds[i % kinds.length] as string;
      const r = arng.fork(`attack:${i}`);
      const plan = planLoginAttack(kind, u, { profile, startMs: ctx.startMs, testStart: ctx.testStart, endMs: ctx.endMs, trainDays: ctx.trainDays, totalDays: ctx.totalDays, benign: testActs.get(u) ?? [] }, r);
      const ids: string[] = [];
      for (const at of plan.attempts) {
        const doc = render(at, r, pop.company);
        if (!doc) continue;
        events.push({ t: at.t, doc });
        ids.push(idOf(doc, profile));
      }
      attacks.push({ user: u.key, kind, start: plan.start, ids });
    });
  }
  return { events, attacks };
}
