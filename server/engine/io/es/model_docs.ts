/**
 * The documents of the models index (`.dfp-models`; see model_store.ts for how they are used): a
 * head per model, a metadata document per version and the version's JSON gzip-compressed, base64,
 * in chunk documents. Here: their shapes and mappings, their ids, and a model's encoding into
 * them and back.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { FingerprintJson } from '../../model/fingerprint';
import { signatureOf } from '../../model/checksum';
import { describeModel, verifySignature, versionInfoOf, type ModelVersionInfo } from '../model_store';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const MAPPINGS = {
  properties: {
    doc_type: { type: 'keyword' }, // head | version | chunk
    key: { type: 'keyword' },
    profile: { type: 'keyword' },
    user: { type: 'keyword', ignore_above: 1024 },
    generic: { type: 'boolean' },
    version: { type: 'long' },
    // head
    active: { type: 'long' },
    latest: { type: 'long' },
    versions: { type: 'object', enabled: false },
    updated_at: { type: 'date' },
    // version metadata
    format: { type: 'keyword' },
    trained_at: { type: 'date' },
    saved_at: { type: 'date' },
    backend: { type: 'keyword' },
    rows: { type: 'long' },
    training_start: { type: 'date' },
    training_end: { type: 'date' },
    epochs: { type: 'long' },
    final_loss: { type: 'float' },
    warm_start_from: { type: 'keyword' },
    checksum: { type: 'keyword' },
    stored_sha256: { type: 'keyword' },
    bytes: { type: 'long' },
    stored_bytes: { type: 'long' },
    chunks: { type: 'long' },
    // chunk
    chunk: { type: 'long' },
    data: { type: 'binary' },
  },
};

/** One stored version as the head records it: enough to find its documents. */
export interface HeadVersion {
  version: number;
  /** sha256 of the stored (gzip) bytes. */
  sha256: string;
  chunks: number;
}

export interface HeadDoc {
  doc_type: 'head';
  key: string;
  profile: string;
  user: string | null;
  generic: boolean;
  active: number;
  latest: number;
  versions: HeadVersion[];
  updated_at: string;
}

export interface MetaDoc {
  doc_type: 'version';
  key: string;
  profile: string;
  user: string | null;
  generic: boolean;
  version: number;
  format: string;
  trained_at: string;
  saved_at: string;
  backend: string;
  rows: number;
  training_start: string;
  training_end: string;
  epochs: number;
  final_loss: number | null;
  warm_start_from?: string;
  checksum: string;
  stored_sha256: string;
  bytes: number;
  stored_bytes: number;
  chunks: number;
  /** HMAC of `checksum` when the store has a signing key (see checksum.ts); in _source only, not indexed. */
  signature?: string;
}

export interface ChunkDoc {
  doc_type: 'chunk';
  key: string;
  version: number;
  chunk: number;
  data: string;
}

/** A model encoded for the index: its documents' contents and the head entry that finds them. */
export interface EncodedModel {
  key: string;
  model: FingerprintJson;
  entry: HeadVersion;
  meta: MetaDoc;
  chunks: string[];
  /** Base64 characters in all chunks. */
  chars: number;
}

/** Gzip, base64, chunks of at most `chunkChars` (whole 4-character groups: each decodes alone), and the metadata (signed with `key`). */
export async function encodeModel(model: FingerprintJson, chunkChars: number, signingKey: Buffer | null = null): Promise<EncodedModel> {
  const json = JSON.stringify(model);
  const stored = await gzipAsync(Buffer.from(json, 'utf8'));
  const sha256 = sha256Hex(stored);
  const base64 = stored.toString('base64');
  const chunks: string[] = [];
  for (let at = 0; at < base64.length; at += chunkChars) chunks.push(base64.slice(at, at + chunkChars));
  const key = modelKey(model.profile, model.user);
  const info = versionInfoOf(model, Buffer.byteLength(json), false);
  const meta: MetaDoc = {
    doc_type: 'version',
    key,
    profile: model.profile,
    user: model.user,
    generic: model.generic,
    version: model.version,
    format: model.format,
    trained_at: info.trainedAt,
    saved_at: new Date().toISOString(),
    backend: info.backend,
    rows: info.rows,
    training_start: info.trainingStart,
    training_end: info.trainingEnd,
    epochs: info.epochs,
    final_loss: info.finalLoss,
    ...(info.warmStartFrom !== undefined ? { warm_start_from: info.warmStartFrom } : {}),
    checksum: info.checksum,
    stored_sha256: sha256,
    bytes: info.bytes,
    stored_bytes: stored.length,
    chunks: chunks.length,
    ...(signingKey ? { signature: signatureOf(model.checksum, signingKey) } : {}),
  };
  return { key, model, entry: { version: model.version, sha256, chunks: chunks.length }, meta, chunks, chars: base64.length };
}

/**
 * The model back from its chunks' data; the bytes must match the sha256 recorded at save, the model
 * the one expected, and with a signing `key`, the signature in the metadata must be the model's.
 */
export async function decodeModel(
  chunkData: string[],
  meta: MetaDoc,
  expected: { profile: string; user: string | null; version: number },
  key: Buffer | null = null,
): Promise<FingerprintJson> {
  const what = modelWhat(expected.profile, expected.user, expected.version);
  const stored = Buffer.concat(chunkData.map((d) => Buffer.from(d, 'base64')));
  const sha = sha256Hex(stored);
  if (sha !== meta.stored_sha256) {
    throw new Error(`${what}: checksum mismatch, the stored chunks are corrupt (sha256 ${sha} where ${meta.stored_sha256} was saved)`);
  }
  let model: FingerprintJson;
  try {
    model = JSON.parse((await gunzipAsync(stored)).toString('utf8')) as FingerprintJson;
  } catch (e) {
    throw new Error(`${what}: cannot decode the stored model: ${(e as Error).message}`);
  }
  if (model.profile !== expected.profile || model.user !== expected.user || model.version !== expected.version) {
    throw new Error(`${what}: the stored document holds ${describeModel(model.profile, model.user)}, version ${model.version}`);
  }
  if (key) verifySignature(model, meta.signature, key, what);
  return model;
}

export function infoOfMeta(m: MetaDoc, active: boolean): ModelVersionInfo {
  return {
    version: m.version,
    active,
    trainedAt: m.trained_at,
    backend: m.backend,
    rows: m.rows,
    trainingStart: m.training_start,
    trainingEnd: m.training_end,
    epochs: m.epochs,
    finalLoss: m.final_loss,
    ...(m.warm_start_from !== undefined ? { warmStartFrom: m.warm_start_from } : {}),
    checksum: m.checksum,
    generic: m.generic,
    bytes: m.bytes,
  };
}

export function modelWhat(profile: string, user: string | null, version: number): string {
  return `model of ${describeModel(profile, user)}, version ${version}`;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A model's id in the index: user keys may hold any character, and null (generic) differs from "null". */
export function modelKey(profile: string, user: string | null): string {
  return sha256Hex(JSON.stringify([profile, user]));
}

export function metaId(key: string, e: HeadVersion): string {
  return `${key}:v${e.version}:${e.sha256.slice(0, 16)}`;
}

export function chunkId(key: string, e: HeadVersion, chunk: number): string {
  return `${metaId(key, e)}:${chunk}`;
}
