import type { FieldSpec, Transform } from './types';

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
