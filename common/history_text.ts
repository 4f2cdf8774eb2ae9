/**
 * The user's history of a feature (`dfp.features.<name>.seen` / `.usual`) in words, shared by the
 * CLI's report and the app: "never seen before (usually NL 97%)", "3 times in the window
 * (usually Teams 80%)". Undefined when the event carries no history (older models, the generic
 * model, numeric features): callers then say what they said before, the model's expectation.
 */
export function historyText(seen: number | undefined, usual: readonly (readonly [string, number])[] | undefined): string | undefined {
  if (seen === undefined && (usual === undefined || usual.length === 0)) return undefined;
  const parts: string[] = [];
  if (seen !== undefined) parts.push(seen === 0 ? 'never seen before' : seen === 1 ? 'once in the window' : `${seen} times in the window`);
  if (usual && usual.length > 0) {
    const list = usual.map(([value, share]) => `${value === '' ? '(none)' : value} ${percent(share)}`).join(', ');
    parts.push(seen !== undefined ? `(usually ${list})` : `usually ${list}`);
  }
  return parts.join(' ');
}

/** A share as a whole percentage; a share above 0 never reads as 0 %. */
function percent(share: number): string {
  const p = Math.round(share * 100);
  return p === 0 && share > 0 ? '<1%' : `${p}%`;
}
