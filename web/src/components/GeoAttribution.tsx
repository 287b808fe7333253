import { Anchor, Text } from '@mantine/core';

/** DB-IP's licence asks for this line wherever its locations show. */
export function GeoAttribution() {
  return (
    <Text size="xs" c="dimmed">
      <Anchor href="https://db-ip.com" target="_blank" rel="noreferrer" size="xs" c="dimmed" underline="always">
        IP Geolocation by DB-IP
      </Anchor>
    </Text>
  );
}
