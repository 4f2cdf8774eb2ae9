/**
 * Renders a React tree into an element on whichever React the host Kibana shares: React 18's
 * `createRoot` where the shared `react-dom` has it (Kibana 8.19, 9.1+), else React 17's `render`
 * and `unmountComponentAtNode` (Kibana 8.17, 8.18, 9.0). Returns the unmount function.
 */
import * as ReactDom from 'react-dom';
import type { ReactElement } from 'react';

interface Root {
  render(element: ReactElement): void;
  unmount(): void;
}

/** React 18 also exports createRoot from `react-dom` itself (its `react-dom/client` only re-exports it). */
type WithCreateRoot = { createRoot?: (container: Element) => Root };

/** React 17's legacy API, as far as used (still present, deprecated, in React 18). */
type LegacyDom = {
  render(element: ReactElement, container: Element): void;
  unmountComponentAtNode(container: Element): boolean;
};

export function mountReact(element: ReactElement, container: HTMLElement): () => void {
  const createRoot = (ReactDom as WithCreateRoot).createRoot;
  if (typeof createRoot === 'function') {
    const root = createRoot(container);
    root.render(element);
    return () => root.unmount();
  }
  const legacy = ReactDom as unknown as LegacyDom;
  legacy.render(element, container);
  return () => void legacy.unmountComponentAtNode(container);
}
