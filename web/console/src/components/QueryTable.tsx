import { Table, type TableProps } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { Failure } from './Failure';

type Props<T, D> = Omit<TableProps<T>, 'dataSource' | 'loading'> & {
  query: UseQueryResult<D>;
  /** The rows of a loaded answer. */
  rows: (data: D) => readonly T[];
  /** A failure shown as a line (inside a card among others) instead of a page-sized result. */
  compactFailure?: boolean;
};

/**
 * A table of one query's rows: the failure with its retry when the query failed, a loading table
 * until it answers, and 50 rows a page unless told otherwise.
 */
export function QueryTable<T extends object, D>({ query, rows, compactFailure, ...table }: Props<T, D>) {
  if (query.isError) return <Failure compact={compactFailure} error={query.error} retry={() => void query.refetch()} />;
  return (
    <Table<T>
      rowKey="id"
      size="middle"
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      {...table}
      loading={!query.data}
      dataSource={query.data ? [...rows(query.data)] : []}
    />
  );
}
