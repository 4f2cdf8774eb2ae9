/**
 * An event's identity over files, where there is no Elasticsearch `_index`/`_id`: what triage
 * decisions about one event name (`target.event.id`; the index is the source's name), read the
 * same from the raw input `dfp train` learns and from the scored file the app shows. A file's
 * line number is not it: rescoring, sorting or merging files moves lines.
 */
import { createHash } from 'node:crypto';
import type { RawEvent } from '../types';
import type { Profile } from '../profiles';
import { eventIdOf } from './extract';

/**
 * The profile's event id (`event.id`, CloudTrail's `eventID`, …) where the event has one; else a
 * digest of the event without its `dfp` object (what scoring added), so the raw event and its
 * scored copy get the same id.
 */
export function fileEventId(event: RawEvent, profile: Profile): string {
  const id = eventIdOf(event, profile);
  if (id !== undefined && id !== '') return id;
  let raw: RawEvent = event;
  if (Object.hasOwn(event, 'dfp')) {
    raw = { ...event };
    delete raw.dfp;
  }
  return `sha256:${createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 32)}`;
}
