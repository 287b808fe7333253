import { createElement, lazy, useState, type ComponentType } from 'react';
import { loadedPages, pageModules, type PageName } from './pages';

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
