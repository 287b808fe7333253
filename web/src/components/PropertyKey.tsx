import { Group, Text } from '@mantine/core';
import { propertyLabel } from '../lib/properties';

/** A friendly label where one is known, with the raw key beside it. */
export function PropertyKey({ name, size = 'sm' }: { name: string; size?: 'xs' | 'sm' }) {
  const label = propertyLabel(name);
  // long keys (`$initial_geoip_subdivision_1_name`) break anywhere rather than widen the page
  if (!label) return <Text size={size} ff="monospace" span style={{ overflowWrap: 'anywhere' }}>{name}</Text>;
  return (
    <Group gap={6} wrap="wrap" component="span">
      <Text size={size} fw={500} span>
        {label}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace" span style={{ overflowWrap: 'anywhere' }}>
        {name}
      </Text>
    </Group>
  );
}
