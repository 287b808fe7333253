import { Anchor, Button, Group, Modal, Popover, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconUserQuestion, IconUsersGroup } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { createCohort } from '../../../api/cohorts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { runQuery, type QueryJson } from '../../../api/insights';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorAlert, errorWords } from '../../../components/ErrorAlert';
import { defaultPersonColumns, PersonsTable } from '../../../components/PersonsTable';
import { formatNumber } from '../../../components/charts/format';
import type { InsightQuery, TrendsQuery } from '../query/types';
import { actorsToPersons, downloadText, personsCsv } from './actors';
import { actorsQuery, bucketsProbe, type DrillTarget } from './source';
import classes from './drilldown.module.css';

const PAGE = 100;
const EXPORT_PAGE = 1000;
const EXPORT_MAX = 10_000;

/** The bucket an aggregated number is opened at: the first of its range, named by the engine. */
function useResolvedTarget(projectId: string | number, query: InsightQuery, target: DrillTarget) {
  const needsProbe = target.kind === 'trends' && target.day === null;
  const probe = useQuery({
    queryKey: ['buckets-probe', String(projectId), JSON.stringify(needsProbe ? bucketsProbe(query as TrendsQuery) : null)],
    enabled: needsProbe,
    queryFn: ({ signal }) => runQuery(projectId, bucketsProbe(query as TrendsQuery), { signal }),
    staleTime: 60_000,
  });
  if (!needsProbe) return { target, error: null };
  const days = (probe.data?.results as { days?: string[] }[] | undefined)?.[0]?.days;
  if (probe.isError) return { target: null, error: probe.error };
  return { target: days?.length ? ({ ...target, day: days[0] } as DrillTarget) : null, error: null };
}

/** The persons behind one point of an insight, with their profiles a click away and a CSV of them. */
export function PersonsModal({
  projectId,
  query,
  target,
  onClose,
}: {
  projectId: string | number;
  query: InsightQuery;
  target: DrillTarget;
  onClose: () => void;
}) {
  const resolved = useResolvedTarget(projectId, query, target);
  const base = resolved.target ? actorsQuery(query, resolved.target, { limit: PAGE, offset: 0 }) : null;
  const actors = useInfiniteQuery({
    queryKey: ['actors', String(projectId), JSON.stringify(base)],
    enabled: base !== null,
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) => runQuery(projectId, { ...(base as QueryJson), offset: pageParam }, { signal }),
    getNextPageParam: (last, pages) => (last.hasMore ? pages.length * PAGE : undefined),
  });
  const persons = useMemo(() => (actors.data?.pages ?? []).flatMap((p) => actorsToPersons(p.results)), [actors.data]);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  const exportCsv = async () => {
    if (!resolved.target) return;
    setExporting(true);
    setExportError(null);
    try {
      let all = persons;
      if (actors.hasNextPage) {
        all = [];
        for (let offset = 0; offset < EXPORT_MAX; offset += EXPORT_PAGE) {
          const page = await runQuery(projectId, actorsQuery(query, resolved.target, { limit: EXPORT_PAGE, offset }));
          all.push(...actorsToPersons(page.results));
          if (!page.hasMore) break;
        }
      }
      downloadText(`persons-${target.label.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase() || 'insight'}.csv`, personsCsv(all));
    } catch (e) {
      setExportError(errorWords(e));
    } finally {
      setExporting(false);
    }
  };

  const loading = actors.isPending && !actors.isError && !resolved.error;
  const count = target.kind === 'trends' && !target.persons ? null : target.value;
  return (
    <Modal
      opened
      onClose={onClose}
      size="min(1100px, 96vw)"
      title={
        <Stack gap={0}>
          <Text fw={600}>Persons</Text>
          <Text size="sm" c="dimmed" lineClamp={1} data-testid="drill-title">
            {target.label}
          </Text>
        </Stack>
      }
      data-testid="drill-modal"
    >
      <Stack gap="sm">
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="drill-count">
            {count !== null
              ? `${formatNumber(Math.abs(count))} ${Math.abs(count) === 1 ? 'person' : 'persons'}`
              : `The persons who did it in this period (the chart counts ${formatNumber(target.value)})`}
          </Text>
          <Group gap="xs">
          {resolved.target && (
            <SaveAsCohort projectId={projectId} query={actorsQuery(query, resolved.target, { limit: PAGE, offset: 0 })} label={target.label}
              disabled={!persons.length} onSaved={onClose} />
          )}
          <Button
            size="xs"
            variant="default"
            leftSection={<IconDownload size={14} />}
            onClick={exportCsv}
            loading={exporting}
            disabled={!persons.length}
            data-testid="drill-export"
          >
            Export CSV
          </Button>
          </Group>
        </Group>
        {(resolved.error || actors.isError) && <ErrorAlert error={resolved.error ?? actors.error} onRetry={() => actors.refetch()} />}
        {exportError && <ErrorAlert error={new Error(exportError)} title="The export failed" />}
        <div className={classes.table}>
        <PersonsTable
          persons={persons}
          columns={defaultPersonColumns(persons)}
          personHref={(p) => `/project/${projectId}/person/${p.uuid}`}
          loading={loading}
          hasMore={actors.hasNextPage}
          loadingMore={actors.isFetchingNextPage}
          onLoadMore={() => actors.fetchNextPage()}
          empty={
            <EmptyState icon={<IconUserQuestion size={22} />} title="Nobody here" testId="drill-empty">
              No person stands behind this point.
            </EmptyState>
          }
        />
        </div>
      </Stack>
    </Modal>
  );
}

/** "Save as cohort": every person behind this point (all pages) as a static cohort. */
function SaveAsCohort({ projectId, query, label, disabled, onSaved }: {
  projectId: string | number;
  query: QueryJson;
  label: string;
  disabled: boolean;
  onSaved: () => void;
}) {
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();
  const [name, setName] = useState(label);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const c = await createCohort(projectId, { name: name.trim(), is_static: true, query });
      setOpened(false);
      onSaved();
      notifications.show({
        color: 'teal',
        message: (
          <span>
            Saved {c.count ?? 0} persons as{' '}
            {/* notifications are drawn outside the router: a button that navigates, not a Link */}
            <Anchor component="button" size="sm" onClick={() => navigate(`/project/${projectId}/cohorts/${c.id}`)}>
              {c.name}
            </Anchor>
          </span>
        ),
      });
    } catch (e) {
      setError(errorWords(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" shadow="md" trapFocus withinPortal>
      <Popover.Target>
        <Button size="xs" variant="default" leftSection={<IconUsersGroup size={14} />} disabled={disabled} onClick={() => setOpened((o) => !o)}
          data-testid="drill-save-cohort">
          Save as cohort
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) void save();
          }}
        >
          <Stack gap="xs" w={280}>
            <TextInput label="Cohort name" size="xs" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus data-testid="drill-cohort-name" />
            <Text size="xs" c="dimmed">
              A static cohort of the persons behind this point, as they are now. Anonymous visitors have no profile and are left out.
            </Text>
            {error && (
              <Text size="xs" c="red">
                {error}
              </Text>
            )}
            <Group justify="flex-end">
              <Button size="xs" type="submit" loading={saving} disabled={!name.trim()} data-testid="drill-cohort-save">
                Save cohort
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
