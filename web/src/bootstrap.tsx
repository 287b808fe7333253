// The app itself, loaded by main.tsx once the page's requests are on their way.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { fillCache } from './boot';
import { pageCode } from './early';
import { queryClient } from './queryClient';

/**
 * How long the first drawing may wait for the page's code and data. Within it, the page is drawn
 * once, whole, rather than as a skeleton that a moment later is thrown away and drawn again (the
 * second drawing is most of the work); past it, the skeleton shows while the rest comes.
 */
const WAIT_FOR_CONTENT_MS = 300;

const ready = Promise.all([fillCache(queryClient, window.location), pageCode(window.location.pathname)?.catch(() => {})]);
const waited = new Promise((resolve) => window.setTimeout(resolve, WAIT_FOR_CONTENT_MS));

void Promise.race([ready, waited]).then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
