/** Types shared across the engine's stages. Nothing here imports Kibana. */

/** An input document, as Elastic's integrations index it (nested JSON) or a flat CSV row. */
export type RawEvent = Record<string, unknown>;

/** Where an input event came from, so every message can name file and line. */
export interface SourceRef {
  file: string;
  /** 1-based line number (NDJSON, CSV) or 1-based element index (JSON array). */
  line: number;
}

/** One item read from an input: an event, or a reason it could not be read. */
export type InputItem =
  | { kind: 'event'; event: RawEvent; source: SourceRef }
  | { kind: 'error'; message: string; source: SourceRef; raw?: string };
