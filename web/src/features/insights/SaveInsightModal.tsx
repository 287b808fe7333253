import { Button, Checkbox, Group, Modal, MultiSelect, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDashboardsList } from './queries';

export interface SaveDetails {
  name: string;
  description: string;
  tags: string[];
  favorited: boolean;
  dashboards: number[];
}

/** Name, description, tags, favourite and dashboards of an insight being saved (or edited). */
export function SaveInsightModal({
  projectId,
  title,
  initial,
  saving,
  error,
  onSave,
  onClose,
  submitLabel = 'Save',
}: {
  projectId: string | number;
  title: string;
  initial: SaveDetails;
  saving: boolean;
  error: unknown;
  onSave: (details: SaveDetails) => void;
  onClose: () => void;
  submitLabel?: string;
}) {
  const [details, setDetails] = useState(initial);
  const dashboards = useDashboardsList(projectId);
  const set = (patch: Partial<SaveDetails>) => setDetails((d) => ({ ...d, ...patch }));
  return (
    <Modal opened onClose={onClose} title={title} size="md" data-testid="save-modal">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (details.name.trim()) onSave({ ...details, name: details.name.trim(), description: details.description.trim() });
        }}
      >
        <Stack gap="sm">
          <TextInput label="Name" required value={details.name} onChange={(e) => set({ name: e.currentTarget.value })} data-autofocus data-testid="save-name" />
          <Textarea
            label="Description"
            placeholder="What it answers, for whoever opens it next"
            autosize
            minRows={2}
            value={details.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            data-testid="save-description"
          />
          <TagsInput label="Tags" placeholder="Enter adds a tag" value={details.tags} onChange={(tags) => set({ tags })} data-testid="save-tags" />
          <MultiSelect
            label="On dashboards"
            placeholder={dashboards.data?.results.length ? 'Add to a dashboard' : 'No dashboards yet'}
            data={(dashboards.data?.results ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
            value={details.dashboards.map(String)}
            onChange={(v) => set({ dashboards: v.map(Number) })}
            searchable
            clearable
            data-testid="save-dashboards"
          />
          <Checkbox label="Favourite" checked={details.favorited} onChange={(e) => set({ favorited: e.currentTarget.checked })} data-testid="save-favorite" />
          {!!error && <ErrorAlert error={error} title="Not saved" />}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={!details.name.trim()} data-testid="save-submit">
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
