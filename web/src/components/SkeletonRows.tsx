import { Skeleton, Table } from '@mantine/core';

/** A list table's rows while its first page loads: `count` rows the table's width, `columns` cells wide. */
export function SkeletonRows({ count, columns }: { count: number; columns: number }) {
  return Array.from({ length: count }, (_, i) => (
    <Table.Tr key={i}>
      <Table.Td colSpan={columns}>
        <Skeleton height={28} />
      </Table.Td>
    </Table.Tr>
  ));
}
