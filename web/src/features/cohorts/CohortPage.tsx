import { Alert, Anchor, Badge, Button, CloseButton, FileInput, Group, Loader, Paper, Skeleton, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedCallback, useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconFileUpload, IconRefresh, IconSearch, IconUserQuestion } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api';
import { cohortPersonsCsvUrl, type Cohort, type CohortGroup, type CsvReport } from '../../api/cohorts';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, errorWords } from '../../components/ErrorAlert';
import { defaultPersonColumns, PersonsTable } from '../../components/PersonsTable';
import { TimeText } from '../../components/TimeText';
import { formatNumber } from '../../components/charts/format';
import { useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { CriteriaEditor } from './CriteriaEditor';
import { CohortStatus } from './CohortsPage';
import { cleaned, emptyDefinition, fromFilters } from './model';
import { useCohort, useCohortEstimate, useCohortMutations, useCohortPersons, useCohorts } from './queries';
import classes from './cohorts.module.css';

/** One cohort: its definition (or CSV upload), its numbers, and its members. `/cohorts/new` makes one. */
export default function CohortPage() {
  const { project } = useCurrentProject();
  const { cohortId = 'new' } = useParams();
  const [params] = useUrlParams();
  const isNew = cohortId === 'new';
  const cohort = useCohort(project.id, cohortId);
  const back = (
    <Anchor component={Link} to={`/project/${project.id}/cohorts`} size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} /> Cohorts
      </Group>
    </Anchor>
  );
  if (isNew) {
    return (
      <Stack gap="md" data-testid="cohort-page">
        {back}
        {params.get('type') === 'static' ? <NewStaticCohort /> : <DynamicCohort key="new" cohort={null} />}
      </Stack>
    );
  }
  if (cohort.isError) {
    return (
      <Stack gap="md">
        {back}
        {cohort.error instanceof ApiError && cohort.error.status === 404 ? (
          <EmptyState icon={<IconUserQuestion size={22} />} title="No such cohort">
            It may have been deleted.
          </EmptyState>
        ) : (
          <ErrorAlert error={cohort.error} onRetry={() => cohort.refetch()} />
        )}
      </Stack>
    );
  }
  if (!cohort.data) {
    return (
      <Stack gap="md">
        {back}
        <Skeleton height={36} w={320} />
        <Skeleton height={180} />
      </Stack>
    );
  }
  return (
    <Stack gap="md" data-testid="cohort-page">
      {back}
      {cohort.data.is_static ? <StaticCohort cohort={cohort.data} /> : <DynamicCohort key={cohort.data.id} cohort={cohort.data} />}
      <Members cohort={cohort.data} />
    </Stack>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={4} className={classes.stat}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lh={1}>
        {label}
      </Text>
      <Group h={28} align="center">
        {children}
      </Group>
    </Stack>
  );
}

function Stats({ cohort }: { cohort: Cohort }) {
  const { project } = useCurrentProject();
  const { recalculate } = useCohortMutations(project.id);
  return (
    <Group gap="xl" align="flex-end" data-testid="cohort-stats">
      <Stat label="Persons">
        <Text size="xl" fw={700} ff="monospace" data-testid="cohort-stat-count">
          {cohort.count === null ? '—' : formatNumber(cohort.count)}
        </Text>
      </Stat>
      <Stat label="Last computed">{cohort.last_calculation ? <TimeText value={cohort.last_calculation} size="sm" /> : <Text size="sm">never</Text>}</Stat>
      <Stat label="Status">
        <CohortStatus cohort={cohort} />
      </Stat>
      {!cohort.is_static && (
        <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={recalculate.isPending || cohort.is_calculating}
          onClick={() => recalculate.mutate(cohort.id)} data-testid="cohort-recalculate">
          Recalculate
        </Button>
      )}
    </Group>
  );
}

/** The editor of a dynamic cohort (new or saved), with its live estimated size. */
function DynamicCohort({ cohort }: { cohort: Cohort | null }) {
  const { project } = useCurrentProject();
  const navigate = useNavigate();
  const { create, update } = useCohortMutations(project.id);
  const all = useCohorts(project.id);
  const [name, setName] = useState(cohort?.name ?? '');
  const [description, setDescription] = useState(cohort?.description ?? '');
  const [definition, setDefinition] = useState<CohortGroup>(() => (cohort ? fromFilters(cohort.filters) : emptyDefinition()));
  const filters = useMemo(() => cleaned(definition), [definition]);
  const [debounced] = useDebouncedValue(filters, 500);
  const estimate = useCohortEstimate(project.id, debounced);
  const saved = cohort ? JSON.stringify(cleaned(fromFilters(cohort.filters))) : null;
  const dirty = !cohort || saved !== JSON.stringify(filters) || name !== cohort.name || description !== cohort.description;
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const others = (all.data?.results ?? []).filter((c) => c.id !== cohort?.id);

  const save = () => {
    if (!filters || !name.trim()) return;
    if (!cohort) {
      create.mutate(
        { name: name.trim(), description, filters },
        { onSuccess: (made) => navigate(`/project/${project.id}/cohorts/${made.id}`, { replace: true }) },
      );
    } else {
      update.mutate(
        { id: cohort.id, name: name.trim(), description, filters },
        { onSuccess: (c) => notifications.show({ message: `Saved “${c.name}”: ${formatNumber(c.count ?? 0)} persons`, color: 'teal' }) },
      );
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} style={{ flex: 1, maxWidth: 560 }}>
          {cohort ? <Title order={1}>{cohort.name}</Title> : <Title order={1}>New cohort</Title>}
          <Text size="sm" c="dimmed">
            {cohort
              ? 'Dynamic: insights read the definition as it is now; the count below is refreshed every few minutes.'
              : 'Describe who belongs: by person properties, by what they did, or by other cohorts.'}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button onClick={save} disabled={!dirty || !filters || !name.trim()} loading={saving} data-testid="cohort-save">
            {cohort ? 'Save changes' : 'Save cohort'}
          </Button>
        </Group>
      </Group>
      {cohort && <Stats cohort={cohort} />}
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder="Active pro users" data-testid="cohort-name" />
            <Textarea label="Description" autosize minRows={1} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          </Group>
          <CriteriaEditor projectId={project.id} value={definition} onChange={setDefinition} cohorts={others} />
          <Estimate filters={filters} loading={estimate.isFetching} count={estimate.data?.count} error={estimate.error} />
        </Stack>
      </Paper>
      {!!error && <ErrorAlert error={error} title="Not saved" />}
    </Stack>
  );
}

function Estimate({ filters, loading, count, error }: { filters: unknown; loading: boolean; count?: number; error: unknown }) {
  return (
    <Group gap="xs" className={classes.estimate} data-testid="cohort-estimate">
      {!filters ? (
        <Text size="sm" c="dimmed">
          Complete a criterion to see how many persons match.
        </Text>
      ) : error ? (
        <Text size="sm" c="red">
          {errorWords(error)}
          {error instanceof ApiError && error.attr ? ` (${error.attr})` : ''}
        </Text>
      ) : (
        <>
          <Text size="sm">Estimated size now:</Text>
          <Text size="sm" fw={700} ff="monospace" data-testid="cohort-estimate-count">
            {count === undefined ? '…' : `${formatNumber(count)} ${count === 1 ? 'person' : 'persons'}`}
          </Text>
          {loading && <Loader size={14} />}
        </>
      )}
    </Group>
  );
}

function Report({ report, onClose }: { report: CsvReport; onClose?: () => void }) {
  return (
    <Alert variant="light" color={report.unmatched_count ? 'orange' : 'teal'} title={`${formatNumber(report.matched)} of ${formatNumber(report.rows)} rows matched a person`}
      withCloseButton={!!onClose} onClose={onClose} data-testid="csv-report">
      <Text size="sm">
        Read by the <code>{report.column}</code> column.{' '}
        {report.unmatched_count ? `${formatNumber(report.unmatched_count)} rows matched nobody and were skipped; the others were added.` : 'Every row was added.'}
      </Text>
      {report.unmatched.length > 0 && (
        <Table mt="xs" withTableBorder fz="xs" verticalSpacing={2} maw={520} data-testid="csv-report-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Row</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.unmatched.slice(0, 20).map((u) => (
              <Table.Tr key={u.row}>
                <Table.Td ff="monospace">{u.row}</Table.Td>
                <Table.Td ff="monospace">{u.value || '(empty)'}</Table.Td>
                <Table.Td>{u.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {report.unmatched.length > 20 && (
        <Text size="xs" c="dimmed" mt={4}>
          and {formatNumber(report.unmatched_count - 20)} more.
        </Text>
      )}
    </Alert>
  );
}

function NewStaticCohort() {
  const { project } = useCurrentProject();
  const navigate = useNavigate();
  const { upload } = useCohortMutations(project.id);
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  return (
    <Stack gap="md" maw={640}>
      <div>
        <Title order={1}>Upload a cohort</Title>
        <Text size="sm" c="dimmed">
          A static list of persons from a CSV file: one distinct ID per row, or a header row naming a <code>distinct_id</code>, <code>person_id</code> or{' '}
          <code>email</code> column. Rows that match nobody are reported; the others are kept.
        </Text>
      </div>
      <Paper withBorder p="md" radius="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!file || !name.trim()) return;
            upload.mutate(
              { file, target: { name: name.trim() } },
              { onSuccess: (c) => navigate(`/project/${project.id}/cohorts/${c.id}`, { replace: true, state: { report: c.csv_report } }) },
            );
          }}
        >
          <Stack gap="sm">
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder="Beta testers" data-testid="cohort-name" />
            <FileInput label="CSV file" required accept=".csv,text/csv" value={file} onChange={setFile} placeholder="Choose a .csv file"
              leftSection={<IconFileUpload size={16} />} clearable data-testid="cohort-csv" />
            {!!upload.error && <ErrorAlert error={upload.error} title="Not uploaded" />}
            <Group justify="flex-end">
              <Button type="submit" disabled={!file || !name.trim()} loading={upload.isPending} data-testid="cohort-upload">
                Upload and create
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

function StaticCohort({ cohort }: { cohort: Cohort }) {
  const { project } = useCurrentProject();
  const location = useLocation();
  const { upload } = useCohortMutations(project.id);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<CsvReport | null>((location.state as { report?: CsvReport } | null)?.report ?? null);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <Title order={1}>{cohort.name}</Title>
            <Badge variant="light" color="gray">
              Static
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {cohort.description || 'A fixed list of persons. Merges and splits carry membership along with the distinct IDs.'}
          </Text>
        </div>
      </Group>
      <Stats cohort={cohort} />
      {report && <Report report={report} onClose={() => setReport(null)} />}
      <Group gap="xs" align="flex-end">
        <FileInput size="xs" w={280} label="Add persons from a CSV" accept=".csv,text/csv" value={file} onChange={setFile} placeholder="Choose a .csv file"
          leftSection={<IconFileUpload size={14} />} clearable data-testid="cohort-csv" />
        <Button size="xs" disabled={!file} loading={upload.isPending} data-testid="cohort-upload"
          onClick={() =>
            file &&
            upload.mutate(
              { file, target: { id: cohort.id } },
              {
                onSuccess: (c) => {
                  setReport(c.csv_report ?? null);
                  setFile(null);
                },
              },
            )
          }>
          Upload
        </Button>
      </Group>
      {!!upload.error && <ErrorAlert error={upload.error} title="Not uploaded" />}
    </Stack>
  );
}

/** The cohort's persons now (a dynamic cohort's definition evaluated as the list is read). */
function Members({ cohort }: { cohort: Cohort }) {
  const { project } = useCurrentProject();
  const [params, update] = useUrlParams();
  const search = params.get('search') ?? '';
  const [typed, setTyped] = useState(search);
  const push = useDebouncedCallback((v: string) => update({ search: v.trim() || null }, { replace: true }), 300);
  useEffect(() => setTyped(search), [search]);
  const q = { search, properties: [], order: 'desc' as const };
  const persons = useCohortPersons(project.id, String(cohort.id), q);
  const rows = useMemo(() => persons.data?.pages.flatMap((p) => p.results) ?? [], [persons.data]);
  return (
    <Stack gap="sm" data-testid="cohort-members">
      <Group justify="space-between" align="flex-end">
        <Title order={3}>Members</Title>
        <TextInput size="xs" w={280} placeholder="Search by distinct ID, email or name" aria-label="Search members" leftSection={<IconSearch size={14} />}
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            push(e.currentTarget.value);
          }}
          rightSection={typed ? <CloseButton size="xs" aria-label="Clear search" onClick={() => { setTyped(''); update({ search: null }); }} /> : null}
        />
      </Group>
      {persons.isError && <ErrorAlert error={persons.error} onRetry={() => persons.refetch()} />}
      <PersonsTable
        persons={rows}
        columns={defaultPersonColumns(rows)}
        personHref={(p) => `/project/${project.id}/person/${p.uuid}`}
        loading={persons.isPending}
        hasMore={persons.hasNextPage}
        loadingMore={persons.isFetchingNextPage}
        onLoadMore={() => persons.fetchNextPage()}
        csvHref={cohortPersonsCsvUrl(project.id, cohort.id, q)}
        empty={
          <EmptyState icon={<IconUserQuestion size={22} />} title={search ? 'No member matches' : 'Nobody is in this cohort now'} testId="cohort-members-empty">
            {search
              ? 'Try another search.'
              : cohort.is_static
                ? 'Upload a CSV above, or save the persons behind a point of any insight as this cohort.'
                : 'Nobody matches the definition at the moment. Widen a time window or loosen a criterion.'}
          </EmptyState>
        }
      />
    </Stack>
  );
}
