import { createElement, lazy, type ComponentType } from 'react';
import { loadedPages, pageModules, type PageName } from './pages';

/**
 * A page loaded on first use, like React's lazy, except that a page whose code is already here
 * (the early start fetched it) is drawn at once instead of showing its loading state for a frame.
 */
export function lazyPage(name: PageName): ComponentType {
  const Lazy = lazy(pageModules[name]);
  function Page() {
    const Loaded = loadedPages.get(name);
    return Loaded ? createElement(Loaded) : createElement(Lazy);
  }
  Page.displayName = `Page(${name})`;
  return Page;
}
