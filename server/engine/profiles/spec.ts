import type { FieldPart, FieldSpec, Transform } from './types';

/** Shorthands that keep the profile tables readable. */
export const categorical = (name: string, paths: string | string[], transform?: Transform): FieldSpec => ({
  name,
  paths: Array.isArray(paths) ? paths : [paths],
  kind: 'categorical',
  transform,
});

export const numeric = (name: string, paths: string | string[]): FieldSpec => ({
  name,
  paths: Array.isArray(paths) ? paths : [paths],
  kind: 'numeric',
});

export const binary = (name: string, paths: string | string[], trueValues?: string[]): FieldSpec => ({
  name,
  paths: Array.isArray(paths) ? paths : [paths],
  kind: 'binary',
  trueValues,
});

/**
 * One categorical feature from several fields read together (FieldSpec.parts), in the order
 * written, e.g. composite('device', [['trust', '…trust_type'], ['compliant', '…is_compliant']])
 * reads "trust=Azure AD joined, compliant=true". A part: [label, path or paths tried in order, transform?],
 * or a FieldPart.
 */
export const composite = (name: string, parts: (FieldPart | [label: string, paths: string | string[], transform?: Transform])[]): FieldSpec => {
  const list: FieldPart[] = parts.map((p) => (Array.isArray(p) ? { label: p[0], paths: Array.isArray(p[1]) ? p[1] : [p[1]], ...(p[2] ? { transform: p[2] } : {}) } : p));
  return { name, paths: list.flatMap((p) => p.paths), kind: 'categorical', parts: list };
};
