import type { Generated, GenContext } from './types';
export function generateProcess(_ctx: GenContext): Generated { return { events: [], attacks: [] }; }
