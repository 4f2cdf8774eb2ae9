/**
 * Reads `{time, key, process}` from process start events as Elastic Defend (Endpoint,
 * `logs-endpoint.events.process-*`) and Sysmon through the Windows integration
 * (`logs-windows.sysmon_operational-*`, event.code 1) index them. Nested documents and flat
 * dotted keys ("process.name") both work. An event that cannot be used yields a reason instead.
 */
import type { RawEvent } from '../types';
import { getField } from '../profiles/field_path';
import { normaliseProcessName } from './hashing';
import { badTimeReason, MAX_TIME, MIN_TIME, parseTime as parseEventTime } from '../features/event_time';

export type ProcessKeyBy = 'host' | 'user';

export interface ProcessProfileOptions {
  /** Window key: `host.name` (default) or `user.name`. */
  keyBy?: ProcessKeyBy;
}

export type ProcessExtract =
  | { ok: true; time: number; key: string; process: string }
  | { ok: false; reason: string; key: string | null };

export const KEY_FIELDS: Record<ProcessKeyBy, string> = { host: 'host.name', user: 'user.name' };

/**
 * Where the key is read when KEY_FIELDS' field is absent. host.name is set by the agent, not by the
 * windows integration's pipeline: Sysmon events indexed without it name the host only in
 * winlog.computer_name (sysmon_operational test-events.json-expected.json).
 */
const KEY_FALLBACKS: Record<ProcessKeyBy, string[]> = { host: ['winlog.computer_name'], user: [] };

export function extractProcessEvent(event: RawEvent, opts: ProcessProfileOptions = {}): ProcessExtract {
  const keyBy = opts.keyBy ?? 'host';
  const keyField = KEY_FIELDS[keyBy];
  let key = firstString(getField(event, keyField));
  for (const fallback of KEY_FALLBACKS[keyBy]) key ??= firstString(getField(event, fallback));
  const fail = (reason: string): ProcessExtract => ({ ok: false, reason, key });

  const notStart = notProcessStart(event);
  if (notStart) return fail(notStart);

  const rawTime = getField(event, '@timestamp');
  if (rawTime === undefined || rawTime === null || rawTime === '') return fail('missing @timestamp');
  const time = parseTime(rawTime);
  if (time === null) return fail(badTime(Array.isArray(rawTime) ? rawTime[0] : rawTime));

  if (key === null) return fail(`missing ${keyField}`);

  let process = firstString(getField(event, 'process.name'));
  if (process === null) {
    const exe = firstString(getField(event, 'process.executable'));
    // Basename for both Windows (C:\Windows\System32\whoami.exe) and POSIX paths.
    if (exe !== null) process = firstString(exe.split(/[\\/]/).pop());
  }
  if (process === null) return fail('missing process.name and process.executable');
  return { ok: true, time, key, process: normaliseProcessName(process) };
}

/**
 * Why the event is not a process start, or null when it is (or does not say). ECS
 * `event.category`/`event.type` decide when present (Endpoint and the Sysmon integration set both);
 * a bare Sysmon record is judged by its event.code (1 = process creation).
 */
function notProcessStart(event: RawEvent): string | null {
  const category = strings(getField(event, 'event.category'));
  if (category.length > 0 && !category.includes('process')) {
    return `not a process event (event.category: ${category.join(', ')})`;
  }
  const type = strings(getField(event, 'event.type'));
  if (type.length > 0 && !type.includes('start')) return `not a process start event (event.type: ${type.join(', ')})`;
  if (category.length === 0 && type.length === 0) {
    const source = [getField(event, 'event.module'), getField(event, 'event.provider'), getField(event, 'data_stream.dataset')]
      .map((v) => String(v ?? '').toLowerCase())
      .join(' ');
    const code = getField(event, 'event.code');
    if (source.includes('sysmon') && code !== undefined && code !== null && String(code) !== '1') {
      return `not a Sysmon process creation (event.code: ${String(code)})`;
    }
  }
  return null;
}

/**
 * Epoch milliseconds (numbers and number strings are milliseconds here, as Endpoint and Sysmon
 * exports write them), else the engine's reading of a time string (zone-less is UTC, impossible
 * dates refused); null outside years 0000–9999 too, as everywhere in the engine.
 */
function parseTime(v: unknown): number | null {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) v = Number(v.trim());
  if (typeof v === 'number') return v >= MIN_TIME && v <= MAX_TIME ? v : null;
  return typeof v === 'string' ? parseEventTime(v) : null;
}

function badTime(raw: unknown): string {
  const why = badTimeReason(raw);
  return why.startsWith('unparseable') ? `unparseable @timestamp: ${JSON.stringify(raw)}` : `@timestamp ${why}`;
}

function firstString(v: unknown): string | null {
  if (Array.isArray(v)) v = v.find((x) => typeof x === 'string' && x.trim() !== '');
  if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function strings(v: unknown): string[] {
  const arr = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return arr.filter((x) => x !== null && x !== undefined && x !== '').map((x) => String(x).toLowerCase());
}
