import { Group, Text } from '@mantine/core';

export function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-6)" />
        <path d="M6 21c3-6 6-9 10-9s7 3 10 9" stroke="#fff" strokeWidth="3" fill="none" strokeLinecap="round" />
        <circle cx="16" cy="18" r="3.5" fill="#fff" />
      </svg>
      <Text fw={700} size="md" lts={-0.2}>
        Sightline
      </Text>
    </Group>
  );
}
