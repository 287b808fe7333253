import { ThemeIcon } from '@mantine/core';
import { IconCalendarRepeat, IconChartFunnel, IconChartHistogram, IconChartLine, IconChartSankey, IconUsersGroup, type Icon } from '@tabler/icons-react';
import type { InsightKind } from './query/types';

export const KIND_ICONS: Record<InsightKind, Icon> = {
  TrendsQuery: IconChartLine,
  FunnelsQuery: IconChartFunnel,
  RetentionQuery: IconCalendarRepeat,
  PathsQuery: IconChartSankey,
  StickinessQuery: IconChartHistogram,
  LifecycleQuery: IconUsersGroup,
};

const KIND_COLORS: Record<InsightKind, string> = {
  TrendsQuery: 'indigo',
  FunnelsQuery: 'teal',
  RetentionQuery: 'orange',
  PathsQuery: 'grape',
  StickinessQuery: 'cyan',
  LifecycleQuery: 'pink',
};

/** The kind of an insight at a glance (lists, tiles). */
export function KindIcon({ kind, size = 28 }: { kind: string; size?: number }) {
  const known = kind in KIND_ICONS ? (kind as InsightKind) : 'TrendsQuery';
  const I = KIND_ICONS[known];
  return (
    <ThemeIcon variant="light" color={KIND_COLORS[known]} size={size} radius="md" aria-hidden>
      <I size={Math.round(size * 0.6)} stroke={1.7} />
    </ThemeIcon>
  );
}
