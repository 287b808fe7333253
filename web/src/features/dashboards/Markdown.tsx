// Text tiles: markdown (marked) made safe (DOMPurify) before it reaches the page. Loaded only
// when a dashboard has a text tile.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';
import classes from './dashboards.module.css';

const marked = new Marked({ gfm: true, breaks: true, async: false });

let hooked = false;
function purifier() {
  if (!hooked) {
    // links leave the app in a new tab, without handing it this window
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
      // images from the web or inline only: a relative path would ask this app for a page
      if (node.tagName === 'IMG' && !/^(https?:\/\/|data:image\/)/i.test(node.getAttribute('src') ?? '')) node.removeAttribute('src');
    });
    hooked = true;
  }
  return DOMPurify;
}

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  return purifier().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
  });
}

export default function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={classes.markdown} dangerouslySetInnerHTML={{ __html: html }} data-testid="markdown" />;
}
