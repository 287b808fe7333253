import { Button, Group } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';

export default function NotFoundPage() {
  return (
    <div data-testid="not-found-page" style={{ maxWidth: 560, margin: '48px auto' }}>
      <EmptyState icon={<IconMapOff size={22} />} title="There is no page here" actions={<Group><Button component={Link} to="/">Go to your project</Button></Group>}>
        The address may be mistyped, or the page may have moved.
      </EmptyState>
    </div>
  );
}
