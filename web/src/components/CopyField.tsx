import { ActionIcon, CopyButton, Group, Paper, ScrollArea, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

export function CopyIcon({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label} withArrow>
          <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** A value shown in monospace with a copy button; `label` names it for screen readers. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <Paper withBorder radius="sm" px="sm" py={4} data-testid={testId}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }} aria-label={label}>
          {value}
        </Text>
        <CopyIcon value={value} label={`Copy ${label.toLowerCase()}`} />
      </Group>
    </Paper>
  );
}

/** A block of code with a copy button in its corner. */
export function CodeBlock({ code, label, maxHeight = 320 }: { code: string; label: string; maxHeight?: number }) {
  return (
    <Paper withBorder radius="sm" pos="relative" bg="var(--mantine-color-default-hover)">
      <div style={{ position: 'absolute', top: 6, right: 6, zIndex: 1 }}>
        <CopyIcon value={code} label={`Copy ${label}`} />
      </div>
      <ScrollArea.Autosize mah={maxHeight} type="auto">
        <pre className="code-block" aria-label={label}>
          <code>{code}</code>
        </pre>
      </ScrollArea.Autosize>
    </Paper>
  );
}
