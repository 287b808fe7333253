import { ActionIcon, Anchor, Badge, Button, Checkbox, Group, Menu, Paper, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDeviceFloppy, IconDots, IconLayoutDashboard, IconStar, IconStarFilled } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { CannotOpen } from '../../components/CannotOpen';
import { PageSkeleton } from '../../components/PageSkeleton';
import { useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { InsightEditor } from './builder/InsightEditor';
import { PersonsModal } from './drilldown/PersonsModal';
import type { DrillTarget } from './drilldown/source';
import { InsightResult } from './InsightResult';
import { KIND_ICONS } from './KindIcon';
import { cleanQuery, decodeQuery, defaultQuery, encodeQuery, suggestedName } from './query/model';
import { INSIGHT_KINDS, KIND_LABELS, KIND_WORDS, type InsightKind, type InsightQuery } from './query/types';
import { useDashboardsList, useDeleteInsight, useInsightResult, useSaveInsight, useSavedInsight } from './queries';
import { SaveInsightModal, type SaveDetails } from './SaveInsightModal';
import type { Insight } from '../../api/insights';
import classes from './insights.module.css';

/** The builder: `/insights/new?q=` and `/insights/:shortId` (with `?q=` while changed and unsaved). */
export default function InsightPage() {
  const { project } = useCurrentProject();
  const { shortId } = useParams();
  const saved = useSavedInsight(project.id, shortId);
  if (shortId && saved.isPending) return <PageSkeleton />;
  if (shortId && saved.isError) {
    return (
      <CannotOpen what="insight" error={saved.error} onRetry={() => saved.refetch()}
        back={{ to: `/project/${project.id}/insights`, label: 'All insights' }} testId="insight-page" />
    );
  }
  return <Builder key={shortId ?? 'new'} insight={saved.data ?? null} />;
}

function Builder({ insight }: { insight: Insight | null }) {
  const { project } = useCurrentProject();
  const navigate = useNavigate();
  const [params, update] = useUrlParams();
  const raw = params.get('q');
  const savedQuery = useMemo(() => (insight ? decodeQuery(insight.query) : null), [insight]);
  const fromUrl = () => decodeQuery(raw) ?? savedQuery ?? defaultQuery('TrendsQuery');
  // The query lives in React state and is written through to the URL: a router navigation may be
  // deferred (a transition), and an edit made before it lands must not start from an older query.
  const [query, setQueryState] = useState<InsightQuery>(fromUrl);
  const written = useRef<string | null>(raw);
  useEffect(() => {
    // the address changed under the page (back, forward, a pasted link): follow it
    if (raw !== written.current) {
      written.current = raw;
      setQueryState(fromUrl());
    }
  }, [raw, savedQuery]);
  const dirty = insight ? encodeQuery(query) !== encodeQuery(savedQuery ?? query) : true;
  const mode = params.get('view') === 'table' ? 'table' : 'chart';

  const setQuery = (q: InsightQuery) => {
    setQueryState(q);
    const next = encodeQuery(q);
    // a saved insight whose query is back to what was saved needs no ?q=
    const value = insight && savedQuery && next === encodeQuery(savedQuery) ? null : next;
    written.current = value;
    update({ q: value }, { replace: true });
  };
  const run = useInsightResult(project.id, query);
  const [drill, setDrill] = useState<{ target: DrillTarget; query: InsightQuery } | null>(null);
  const [saving, setSaving] = useState<'new' | 'edit' | null>(null);
  const save = useSaveInsight(project.id);
  const remove = useDeleteInsight(project.id);

  const saveDetails = async (details: SaveDetails, asNew: boolean) => {
    const body = { ...details, query: cleanQuery(query) as unknown as Insight['query'] };
    const result = await save.mutateAsync({ id: asNew ? undefined : insight?.id, fields: body });
    setSaving(null);
    notifications.show({ message: asNew || !insight ? `Saved “${result.name}”` : `Updated “${result.name}”`, color: 'teal' });
    if (asNew || !insight) navigate(`/project/${project.id}/insights/${result.short_id}`, { replace: !insight });
    else clearUrlQuery();
  };
  const saveQuery = async () => {
    if (!insight) return setSaving('new');
    const result = await save.mutateAsync({ id: insight.id, fields: { query: cleanQuery(query) as unknown as Insight['query'] } });
    notifications.show({ message: `Saved “${result.name}”`, color: 'teal' });
    clearUrlQuery();
  };
  /** After a save the saved query is the page's: the address needs no ?q= (the query state stays). */
  const clearUrlQuery = () => {
    written.current = null;
    update({ q: null }, { replace: true });
  };
  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete “${insight!.name}”?`,
      children: <Text size="sm">It is taken off every dashboard it is on. This can’t be undone from here.</Text>,
      labels: { confirm: 'Delete insight', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        await remove.mutateAsync(insight!.id);
        notifications.show({ message: `Deleted “${insight!.name}”` });
        navigate(`/project/${project.id}/insights`);
      },
    });

  const initialDetails: SaveDetails = insight
    ? { name: insight.name, description: insight.description, tags: insight.tags, favorited: insight.favorited, dashboards: insight.dashboards }
    : { name: suggestedName(query), description: '', tags: [], favorited: false, dashboards: [] };

  return (
    <Stack gap="md" data-testid="insight-page" data-kind={query.kind}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <div style={{ minWidth: 'min(100%, 300px)', flex: 1 }}>
          <Group gap={6}>
            <Anchor component={Link} to={`/project/${project.id}/insights`} size="sm" c="dimmed">
              Insights
            </Anchor>
            <Text size="sm" c="dimmed">
              /
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Title order={1} lineClamp={1} data-testid="insight-name">
              {insight ? insight.name : 'New insight'}
            </Title>
            {insight && dirty && (
              <Badge variant="light" color="orange" data-testid="unsaved">
                Unsaved changes
              </Badge>
            )}
          </Group>
          {insight?.description ? (
            <Text size="sm" c="dimmed" lineClamp={2}>
              {insight.description}
            </Text>
          ) : !insight ? (
            <Text size="sm" c="dimmed">
              Pick what to count; the chart follows. The link in the address bar holds the whole question.
            </Text>
          ) : null}
        </div>
        <Group gap="xs">
          {insight && <FavoriteButton insight={insight} />}
          {insight && <AddToDashboard insight={insight} />}
          <Button.Group>
            <Button
              leftSection={<IconDeviceFloppy size={16} />}
              onClick={() => void saveQuery()}
              disabled={!!insight && !dirty}
              loading={save.isPending && saving === null}
              data-testid="insight-save"
            >
              Save
            </Button>
            {insight && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button px={8} aria-label="More save options" data-testid="insight-more">
                    <IconChevronDown size={16} />
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => setSaving('edit')}>Edit name, description and tags</Menu.Item>
                  <Menu.Item onClick={() => setSaving('new')} data-testid="insight-save-as">
                    Save as a new insight
                  </Menu.Item>
                  {dirty && <Menu.Item onClick={() => savedQuery && setQuery(savedQuery)}>Discard changes</Menu.Item>}
                  <Menu.Divider />
                  <Menu.Item color="red" onClick={confirmDelete} data-testid="insight-delete">
                    Delete insight
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Button.Group>
        </Group>
      </Group>

      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <Tabs
            value={query.kind}
            onChange={(k) => k && k !== query.kind && setQuery(defaultQuery(k as InsightKind, query))}
            variant="pills"
            className={classes.kindTabs}
          >
            <Tabs.List>
              {INSIGHT_KINDS.map((k) => {
                const I = KIND_ICONS[k];
                return (
                  <Tooltip key={k} label={KIND_WORDS[k]} withArrow openDelay={400}>
                    <Tabs.Tab value={k} leftSection={<I size={16} />} data-testid={`kind-${k}`}>
                      {KIND_LABELS[k]}
                    </Tabs.Tab>
                  </Tooltip>
                );
              })}
            </Tabs.List>
          </Tabs>
          <InsightEditor projectId={project.id} query={query} onChange={setQuery} hasTestFilters={project.test_account_filters.length > 0} />
        </Stack>
      </Paper>

      <InsightResult
        query={query}
        onChange={setQuery}
        run={run}
        mode={mode}
        onModeChange={(m) => update({ view: m === 'table' ? 'table' : null }, { replace: true })}
        onDrill={(target) => run.answer && setDrill({ target, query: run.answer.query })}
        timeZone={project.timezone}
      />

      {drill && <PersonsModal projectId={project.id} query={drill.query} target={drill.target} onClose={() => setDrill(null)} />}
      {saving && (
        <SaveInsightModal
          projectId={project.id}
          title={saving === 'new' ? (insight ? 'Save as a new insight' : 'Save insight') : 'Edit insight'}
          initial={saving === 'new' && insight ? { ...initialDetails, name: `${insight.name} (copy)`, dashboards: [] } : initialDetails}
          saving={save.isPending}
          error={save.error}
          submitLabel={saving === 'edit' ? 'Save details' : 'Save'}
          onClose={() => {
            setSaving(null);
            save.reset();
          }}
          onSave={(details) =>
            void (saving === 'edit' && insight
              ? save.mutateAsync({ id: insight.id, fields: details }).then(() => setSaving(null))
              : saveDetails(details, saving === 'new' && !!insight)
            ).catch(() => undefined)
          }
        />
      )}
    </Stack>
  );
}

function FavoriteButton({ insight }: { insight: Insight }) {
  const { project } = useCurrentProject();
  const save = useSaveInsight(project.id);
  const on = insight.favorited;
  return (
    <Tooltip label={on ? 'Remove from favourites' : 'Add to favourites'} withArrow>
      <ActionIcon
        variant="default"
        size="lg"
        onClick={() => save.mutate({ id: insight.id, fields: { favorited: !on } })}
        loading={save.isPending}
        aria-label={on ? 'Remove from favourites' : 'Add to favourites'}
        aria-pressed={on}
        data-testid="insight-favorite"
        className={classes.star}
        data-on={on || undefined}
      >
        {on ? <IconStarFilled size={18} color="var(--mantine-color-yellow-5)" /> : <IconStar size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** Puts the saved insight on dashboards (PATCH insight with `dashboards`). */
function AddToDashboard({ insight }: { insight: Insight }) {
  const { project } = useCurrentProject();
  const dashboards = useDashboardsList(project.id);
  const save = useSaveInsight(project.id);
  const on = new Set(insight.dashboards);
  const toggle = (id: number) => {
    const next = on.has(id) ? insight.dashboards.filter((d) => d !== id) : [...insight.dashboards, id];
    save.mutate(
      { id: insight.id, fields: { dashboards: next } },
      {
        onSuccess: () => {
          const name = dashboards.data?.results.find((d) => d.id === id)?.name ?? 'the dashboard';
          notifications.show({ message: on.has(id) ? `Taken off ${name}` : `Added to ${name}`, color: 'teal' });
        },
      },
    );
  };
  return (
    <Menu position="bottom-end" withinPortal closeOnItemClick={false} width={260}>
      <Menu.Target>
        <Button variant="default" leftSection={<IconLayoutDashboard size={16} />} data-testid="add-to-dashboard" rightSection={on.size ? <Badge size="xs" circle>{on.size}</Badge> : undefined}>
          Add to dashboard
        </Button>
      </Menu.Target>
      <Menu.Dropdown data-testid="dashboard-menu">
        {dashboards.data?.results.length ? (
          dashboards.data.results.map((d) => (
            <Menu.Item key={d.id} onClick={() => toggle(d.id)} leftSection={<Checkbox size="xs" checked={on.has(d.id)} readOnly tabIndex={-1} aria-hidden />}
              data-testid="dashboard-option">
              {d.name}
            </Menu.Item>
          ))
        ) : (
          <Menu.Label>No dashboards yet</Menu.Label>
        )}
        <Menu.Divider />
        <Menu.Item component={Link} to={`/project/${project.id}/dashboards?new=1`} leftSection={<IconDots size={14} />}>
          New dashboard…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
