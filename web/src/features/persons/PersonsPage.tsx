import { Anchor, Box, Button, CloseButton, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch, IconUserQuestion, IconUsers } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { personsCsvUrl } from '../../api';
import { ColumnChooser } from '../../components/ColumnChooser';
import { DemoProject } from '../../components/DemoProject';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PropertyFilterEditor } from '../../components/filters/PropertyFilterEditor';
import { Onboarding } from '../../components/Onboarding';
import { defaultPersonColumns, PERSON_BUILTINS, PersonsTable } from '../../components/PersonsTable';
import { usePropertyDefinitions } from '../../lib/queries';
import { decodeList, encodeList, useUrlFilters, useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { personsQueryFromParams, usePersonsList } from './queries';

export default function PersonsPage() {
  const { project } = useCurrentProject();
  const [params, update] = useUrlParams();
  const [filters, setFilters] = useUrlFilters();
  const search = params.get('search') ?? '';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const [typed, setTyped] = useState(search);
  // What the box last wrote to the URL: when the URL catches up with typing it must not put the
  // box back to that older text while more is being typed.
  const written = useRef(search);
  const writeSearch = (value: string | null) => {
    written.current = value?.trim() ?? '';
    update({ search: written.current || null }, { replace: true });
  };
  const pushSearch = useDebouncedCallback(writeSearch, 300);
  // Back/forward (or a link) changes the URL under the box: follow it.
  useEffect(() => {
    if (search === written.current) return;
    written.current = search;
    pushSearch.cancel();
    setTyped(search);
  }, [search, pushSearch]);

  // the same reading of the URL as the app's early start, so its request is the one found here
  const listQuery = useMemo(() => personsQueryFromParams(params), [params]);
  const persons = usePersonsList(project.id, listQuery);
  const rows = useMemo(() => persons.data?.pages.flatMap((p) => p.results) ?? [], [persons.data]);
  const columnsParam = decodeList(params.get('columns'));
  const defaults = defaultPersonColumns(rows);
  const columns = columnsParam && columnsParam.length ? columnsParam : defaults;
  const narrowed = search !== '' || filters.length > 0;
  const firstLoad = persons.isPending;
  const nothingAtAll = !firstLoad && !persons.isError && rows.length === 0 && !narrowed;
  const personHref = (p: { uuid: string }) => `/project/${project.id}/person/${p.uuid}`;

  return (
    <Stack gap="md" data-testid="persons-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Persons</Title>
          <Text size="sm" c="dimmed">
            Everyone identified in {project.name}, with their properties.
          </Text>
        </div>
      </Group>

      {nothingAtAll && !project.has_events ? (
        <Onboarding project={project} />
      ) : nothingAtAll ? (
        <EmptyState
          icon={<IconUsers size={22} />}
          title="No persons yet"
          testId="persons-empty"
          actions={
            <Group>
              <Button component={Link} to={`/project/${project.id}/settings#send-first-event`} variant="default">
                See the snippet
              </Button>
              <DemoProject compact />
            </Group>
          }
        >
          Events are arriving, but nobody has been identified. A person is created when your site calls{' '}
          <code>posthog.identify('user id', {'{ email }'})</code>, or when an SDK sends an event with <code>$set</code> properties.
        </EmptyState>
      ) : (
        <>
          <Group gap="sm" align="flex-start" wrap="wrap">
            <TextInput
              placeholder="Search by distinct ID, email or name"
              aria-label="Search persons"
              leftSection={<IconSearch size={16} />}
              value={typed}
              onChange={(e) => {
                setTyped(e.currentTarget.value);
                pushSearch(e.currentTarget.value);
              }}
              rightSection={
                typed ? (
                  <CloseButton
                    size="sm"
                    aria-label="Clear search"
                    onClick={() => {
                      pushSearch.cancel();
                      setTyped('');
                      writeSearch(null);
                    }}
                  />
                ) : null
              }
              w={{ base: '100%', xs: 340 }}
              size="sm"
              data-testid="persons-search"
            />
            <div style={{ flex: 1, minWidth: 200, paddingTop: 4 }}>
              <PropertyFilterEditor projectId={project.id} value={filters} onChange={setFilters} types={['person', 'cohort']} />
            </div>
            {/* a phone lists persons without columns */}
            <Box visibleFrom="xs">
              <ColumnChooser
                columns={columns}
                defaults={defaults}
                onChange={(c) => update({ columns: encodeList(c) })}
                builtins={PERSON_BUILTINS}
                useSuggestions={(s) => usePersonPropertyNames(project.id, s)}
              />
            </Box>
          </Group>
          {persons.isError && <ErrorAlert error={persons.error} onRetry={() => persons.refetch()} />}
          <PersonsTable
            persons={rows}
            columns={columns}
            personHref={personHref}
            loading={firstLoad}
            order={order}
            onOrderChange={(o) => update({ order: o === 'desc' ? null : o })}
            hasMore={persons.hasNextPage}
            loadingMore={persons.isFetchingNextPage}
            onLoadMore={() => persons.fetchNextPage()}
            csvHref={personsCsvUrl(project.id, { search, properties: filters, order })}
            empty={
              <EmptyState icon={<IconUserQuestion size={22} />} title="No persons match" testId="persons-no-match"
                actions={
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => {
                      pushSearch.cancel();
                      setTyped('');
                      written.current = '';
                      update({ search: null, filters: null });
                    }}
                  >
                    Clear search and filters
                  </Button>
                }
              >
                Nobody matches {search ? <>“{search}”</> : 'these filters'}. Try fewer filters, or search for part of an email or ID.
              </EmptyState>
            }
          />
          {!project.has_events && (
            <Text size="xs" c="dimmed">
              No events have arrived in this project yet. <Anchor component={Link} to={`/project/${project.id}/settings#send-first-event`} size="xs">Send your first event</Anchor>.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

/** Person property names for the column chooser. */
function usePersonPropertyNames(projectId: number | string, search: string): string[] {
  const defs = usePropertyDefinitions(projectId, 'person', search);
  return useMemo(() => (defs.data?.results ?? []).map((d) => d.name), [defs.data]);
}
