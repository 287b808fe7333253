import { Anchor, Avatar, Button, Group, Paper, Skeleton, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconDownload } from '@tabler/icons-react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Person } from '../api';
import { formatValue, initialOf, locationOf, personDisplayName, primaryDistinctId, propertyLabel } from '../lib/properties';
import { useProgressiveCount } from '../lib/progressive';
import { GeoAttribution } from './GeoAttribution';
import { TimeText } from './TimeText';
import classes from './table.module.css';

export const PERSON_BUILTINS: Record<string, string> = {
  person: 'Person',
  distinct_id: 'Distinct ID',
  location: 'Location',
  created_at: 'Created',
};

export const DEFAULT_PERSON_COLUMNS = ['person', 'distinct_id', 'email', 'location', 'created_at'];

/** Fixed widths for the narrow built-in columns; the others share what is left. */
const COLUMN_WIDTH: Record<string, number> = { distinct_id: 170, created_at: 120 };

/** Defaults, less the location column when no loaded person has one. */
export function defaultPersonColumns(persons: Person[]): string[] {
  const anyLocation = persons.some((p) => locationOf(p.properties));
  return DEFAULT_PERSON_COLUMNS.filter((c) => c !== 'location' || anyLocation);
}

export interface PersonsTableProps {
  persons: Person[];
  columns: string[];
  personHref: (person: Person) => string;
  loading?: boolean;
  order?: 'asc' | 'desc';
  onOrderChange?: (order: 'asc' | 'desc') => void;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
  csvHref?: string;
  /** Shown in place of rows when there are none. */
  empty?: React.ReactNode;
}

export function PersonAvatar({ person, size = 'sm' }: { person: Person; size?: 'sm' | 'md' | 'lg' | 'xl' }) {
  const name = personDisplayName(person);
  return (
    <Avatar size={size} radius="xl" color="initials" name={name} alt="">
      {initialOf(name)}
    </Avatar>
  );
}

function cell(person: Person, column: string, personHref: string) {
  switch (column) {
    case 'person':
      return (
        <Group gap="xs" wrap="nowrap">
          <PersonAvatar person={person} />
          <Anchor component={Link} to={personHref} size="sm" fw={500} className={classes.truncate} onClick={(e: MouseEvent) => e.stopPropagation()}>
            {personDisplayName(person)}
          </Anchor>
        </Group>
      );
    case 'distinct_id':
      return (
        <Text size="xs" ff="monospace" className={classes.truncate} title={person.distinct_ids.join(', ')}>
          {primaryDistinctId(person.distinct_ids) ?? '—'}
          {person.distinct_ids.length > 1 && (
            <Text span size="xs" c="dimmed">
              {' '}
              +{person.distinct_ids.length - 1}
            </Text>
          )}
        </Text>
      );
    case 'location':
      return <Text size="sm" className={classes.truncate}>{locationOf(person.properties) ?? '—'}</Text>;
    case 'created_at':
      return <TimeText value={person.created_at} size="sm" />;
    default: {
      const v = person.properties[column];
      return (
        <Text size="sm" className={classes.truncate} c={v === undefined ? 'dimmed' : undefined} title={formatValue(v)}>
          {v === undefined ? '—' : formatValue(v)}
        </Text>
      );
    }
  }
}

/** The persons list used by the persons page and, later, by insights and cohorts. */
export function PersonsTable({
  persons,
  columns,
  personHref,
  loading,
  order = 'desc',
  onOrderChange,
  hasMore,
  loadingMore,
  onLoadMore,
  csvHref,
  empty,
}: PersonsTableProps) {
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 36em)', false, { getInitialValueInEffect: false });
  const shown = persons.slice(0, useProgressiveCount(persons.length));
  const open = (person: Person) => navigate(personHref(person));
  const onRowKey = (e: KeyboardEvent, person: Person) => {
    if (e.key === 'Enter' && e.target === e.currentTarget) open(person);
  };

  const footer = (
    <Group justify="space-between" mt="sm">
      <Group gap="md">
        <Text size="xs" c="dimmed">
          {loading ? ' ' : `${persons.length.toLocaleString()} shown${hasMore ? ', more to load' : ''}`}
        </Text>
        {columns.includes('location') && <GeoAttribution />}
      </Group>
      <Group gap="xs">
        {csvHref && (
          <Button component="a" href={csvHref} download size="xs" variant="default" leftSection={<IconDownload size={14} />} data-testid="export-csv">
            Export CSV
          </Button>
        )}
        {hasMore && onLoadMore && (
          <Button size="xs" variant="light" onClick={onLoadMore} loading={loadingMore} data-testid="load-more">
            Load more
          </Button>
        )}
      </Group>
    </Group>
  );

  if (phone) {
    // One person per line, name first, the rest in a quieter second line: a table of five
    // columns does not fit a phone.
    return (
      <div data-testid="persons-table">
        <Paper withBorder radius="md">
          {loading &&
            Array.from({ length: 8 }, (_, i) => (
              <Group key={`s${i}`} gap="sm" p="sm" wrap="nowrap" className={classes.listRow}>
                <Skeleton circle height={26} />
                <Stack gap={6} style={{ flex: 1 }}>
                  <Skeleton height={12} width="60%" />
                  <Skeleton height={10} width="80%" />
                </Stack>
              </Group>
            ))}
          {!loading &&
            shown.map((person) => {
              const location = locationOf(person.properties);
              return (
                <Group
                  key={person.uuid}
                  gap="sm"
                  px="sm"
                  py={8}
                  wrap="nowrap"
                  className={`${classes.listRow} ${classes.clickable}`}
                  onClick={() => open(person)}
                  onKeyDown={(e) => onRowKey(e, person)}
                  tabIndex={0}
                  data-testid="person-row"
                  data-uuid={person.uuid}
                >
                  <PersonAvatar person={person} />
                  <div style={{ minWidth: 0, flex: 1 }}>
                    <Anchor component={Link} to={personHref(person)} size="sm" fw={500} className={classes.truncate} onClick={(e: MouseEvent) => e.stopPropagation()}>
                      {personDisplayName(person)}
                    </Anchor>
                    <Text size="xs" c="dimmed" className={classes.truncate}>
                      {[primaryDistinctId(person.distinct_ids), location].filter(Boolean).join(' · ')}
                    </Text>
                  </div>
                  <TimeText value={person.created_at} size="xs" c="dimmed" style={{ flex: 'none' }} />
                </Group>
              );
            })}
          {!loading && persons.length === 0 && empty}
        </Paper>
        {footer}
      </div>
    );
  }

  return (
    <div data-testid="persons-table">
      <Table.ScrollContainer minWidth={Math.max(640, columns.length * 150)} maxHeight="calc(100dvh - 230px)" type="native">
        <Table stickyHeader highlightOnHover verticalSpacing={6} horizontalSpacing="sm" fz="sm" className={`${classes.table} ${classes.fixed}`}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c} scope="col" w={COLUMN_WIDTH[c]}>
                  {c === 'created_at' && onOrderChange ? (
                    <UnstyledButton
                      className={classes.sort}
                      onClick={() => onOrderChange(order === 'desc' ? 'asc' : 'desc')}
                      aria-label={`Sort by created, ${order === 'desc' ? 'oldest' : 'newest'} first`}
                      data-testid="sort-created"
                    >
                      Created {order === 'desc' ? <IconArrowDown size={14} /> : <IconArrowUp size={14} />}
                    </UnstyledButton>
                  ) : (
                    <span title={c}>{PERSON_BUILTINS[c] ?? propertyLabel(c) ?? c}</span>
                  )}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {loading &&
              Array.from({ length: 8 }, (_, i) => (
                <Table.Tr key={`s${i}`}>
                  {columns.map((c) => (
                    <Table.Td key={c}>
                      <Skeleton height={14} my={4} width={c === 'person' ? 160 : '70%'} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            {!loading &&
              shown.map((person) => (
                <Table.Tr
                  key={person.uuid}
                  className={classes.clickable}
                  onClick={() => open(person)}
                  onKeyDown={(e) => onRowKey(e, person)}
                  tabIndex={0}
                  data-testid="person-row"
                  data-uuid={person.uuid}
                >
                  {columns.map((c) => (
                    <Table.Td key={c}>{cell(person, c, personHref(person))}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            {!loading && persons.length === 0 && empty && (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>{empty}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {footer}
    </div>
  );
}
