import { Group, Skeleton, Stack } from '@mantine/core';

/** What a page shows while its code or first data loads. */
export function PageSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <Stack gap="sm" p="md" aria-busy="true" aria-label="Loading">
      <Skeleton height={28} width={220} />
      <Group gap="xs">
        <Skeleton height={30} width={260} />
        <Skeleton height={30} width={100} />
      </Group>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={18} />
      ))}
    </Stack>
  );
}
