import { Tabs } from '@mantine/core';
import { SNIPPETS } from '../lib/snippets';
import { CodeBlock } from './CopyField';

/** The HTML snippet and each SDK's set-up, filled with this project's token and this server. */
export function SnippetTabs({ token, host = window.location.origin }: { token: string; host?: string }) {
  return (
    <Tabs defaultValue="html" variant="outline" keepMounted={false}>
      <Tabs.List aria-label="Install instructions">
        {SNIPPETS.map((s) => (
          <Tabs.Tab key={s.value} value={s.value}>
            {s.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {SNIPPETS.map((s) => (
        <Tabs.Panel key={s.value} value={s.value} pt="sm">
          <CodeBlock code={s.make(token, host)} label={`${s.label} code`} />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
