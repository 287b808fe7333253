import { createElement, lazy, useState, type ComponentType } from 'react';
import { loadedPages, pageModules, partModules, type PageName, type PartName } from './pages';

/**
 * A page loaded on first use, like React's lazy, except that a page whose code is already here
 * (the early start fetched it) is drawn at once instead of showing its loading state for a frame.
 */
export function lazyPage(name: PageName): ComponentType {
  const Lazy = lazy(pageModules[name]);
  function Page() {
    // chosen once per mount: switching component types later would mount the page afresh
    const [Component] = useState<ComponentType>(() => loadedPages.get(name) ?? Lazy);
    return createElement(Component);
  }
  Page.displayName = `Page(${name})`;
  return Page;
}

/**
 * A part of a page (the dashboard's grid) loaded on first use, drawn at once when the early start
 * already fetched it. React's lazy would show the fallback first even then, and React reveals
 * suspended content in batches, so the part came up to 300 ms after its code.
 */
export function lazyPart<P extends object>(name: PartName): ComponentType<P> {
  const Lazy = lazy(partModules[name]) as unknown as ComponentType<P>;
  function Part(props: P) {
    const [Component] = useState<ComponentType<P>>(() => (loadedPages.get(name) as ComponentType<P> | undefined) ?? Lazy);
    return createElement(Component, props);
  }
  Part.displayName = `Part(${name})`;
  return Part;
}
