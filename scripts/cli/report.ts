import Table from 'cli-table3';
import type { ScoreSummary } from '../../server/engine/jobs/score';
import type { TrainSummary } from '../../server/engine/jobs/train';
import type { InputReport } from '../../server/engine/jobs/input_report';
import { historyText } from '../../common/history_text';
import { zText } from '../../common/z_text';

/** The human summaries printed at the end of each command. */

/** Plain tables in logs and pipes; colours only on a terminal. */
const style = process.stderr.isTTY ? {} : { style: { head: [], border: [] } };

/**
 * Control characters (C0, DEL, C1) and the invisible bidirectional overrides (Trojan Source),
 * which a terminal would obey: text read from input (user names, values, file names) could
 * otherwise set the window title, clear the screen or hide what follows.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from input made safe to print: each control character shown as an escape (`\x1b`,
 * `\u202e`), so the operator still sees that something odd is there.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function trainReport(s: TrainSummary): string {
  const own = s.users.filter((u) => u.model === 'own').length;
  const warm = s.users.filter((u) => u.model === 'warm-start').length;
  const generic = s.users.filter((u) => u.model === 'generic').length;
  const lines = [
    `trained on ${s.rowsInWindow} events in window ${s.window ? printable(`${s.window.start} .. ${s.window.end}`) : '(none)'} (${s.events} read)`,
    s.generic ? `generic model v${s.generic.version} on ${s.generic.rows} rows, final loss ${s.generic.finalLoss.toFixed(4)}` : 'no generic model (no usable events)',
    `users: ${own} with their own model, ${warm} warm-started from the generic model, ${generic} scored by the generic model`,
    ...leftOutLines(s.leftOut),
    `took ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  return [...lines, ...inputProblems(s.report)].join('\n');
}

/** Events an earlier run's fields kept out of training (model/left_out.ts), when there were any. */
function leftOutLines(left: TrainSummary['leftOut']): string[] {
  const benign = left.benign ? [`learned ${left.benign} flagged events an analyst marked benign`] : [];
  if (left.events === 0) return benign;
  const reasons = Object.entries(left.byReason).map(([reason, n]) => `${n} ${reason}`);
  return [`left out ${left.events} events an earlier run scored (${reasons.join(', ')}); events marked benign (dfp.triage.status) are learned`, ...benign];
}

export function scoreReport(s: ScoreSummary, threshold: number): string {
  const lines = [
    `scored ${s.scored} of ${s.events} events (${s.errors} with dfp.error), ${s.flagged} flagged at dfp.zscore >= ${threshold}, ${s.tsFlagged} time-series anomalies, in ${(s.durationMs / 1000).toFixed(1)} s`,
    `${s.usersFlagged} of ${s.users.length} users flagged at dfp.user_risk >= ${s.userRiskThreshold}`,
    ...(s.suppressed > 0 ? [`${s.suppressed} events at or above the threshold not flagged: the same pattern as an event an analyst marked benign (dfp.suppressed)`] : []),
  ];
  const users = new Table({ head: ['user', 'risk', 'events', 'flagged events', 'max z', 'model', 'why (worst event)'], ...style });
  for (const u of rankedByRisk(s.users).slice(0, 10)) {
    const who = u.label ? `${u.label} (${u.user})` : u.user;
    // One decimal, or more where one would round across the threshold (7.98 is not "8.0").
    const risk = `${zText(u.userRisk ?? 0, s.userRiskThreshold, 1)}${u.userFlagged ? ' FLAGGED' : ''}`;
    users.push([printable(who), risk, u.events, u.flagged, zText(u.maxZscore, threshold, 1), u.generic ? 'generic' : 'own', printable(u.worstTopFeatures.join(', '))]);
  }
  const events = new Table({ head: ['time', 'user', 'z', 'why: feature = value seen (expected, or the user\'s history)'], ...style });
  for (const e of s.topEvents.slice(0, 10)) {
    const why = e.why.map(whyText).join('; ');
    events.push([new Date(e.time).toISOString().slice(0, 19), printable(e.user), zText(e.zscore, threshold, 1), printable(why)]);
  }
  return [...lines, 'Riskiest users (highest dfp.user_risk):', users.toString(), 'Most anomalous events:', events.toString(), ...inputProblems(s.report)].join('\n');
}

/** Users by their highest dfp.user_risk, then by their highest z-score. */
export function rankedByRisk(users: ScoreSummary['users']): ScoreSummary['users'] {
  return [...users].sort((a, b) => (b.userRisk ?? 0) - (a.userRisk ?? 0) || b.maxZscore - a.maxZscore);
}

/** One top feature in the user's terms where the model keeps their history, else seen (expected). */
export function whyText(w: ScoreSummary['topEvents'][number]['why'][number]): string {
  const said = historyText(w.history?.seen, w.history?.usual);
  return said !== undefined ? `${w.feature} = ${String(w.seen)} — ${said}` : `${w.feature} = ${String(w.seen)} (${String(w.expected)})`;
}

function inputProblems(report: InputReport): string[] {
  if (report.total === 0) return [];
  const kinds = Object.entries(report.byKind()).map(([k, n]) => `${n} ${k}`).join(', ');
  return [`input problems: ${printable(kinds)}`, ...report.examples.map((e) => `  ${printable(e)}`)];
}
