interface TPagedQuery {
  hasNextPage: boolean
  isFetchingNextPage: boolean
  fetchNextPage: () => unknown
}

interface TListQuery extends TPagedQuery {
  isSuccess: boolean
  isError: boolean
  error: { message: string } | null
}

/** The "Load more" button under a cursor-paginated table. */
export function LoadMore({ query, what }: { query: TPagedQuery; what: string }) {
  if (!query.hasNextPage) return null
  return (
    <button
      type="button"
      className="secondary load-more"
      disabled={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      {query.isFetchingNextPage ? 'Loading…' : `Load more ${what}`}
    </button>
  )
}

/** Under a cursor-paginated table: the empty text, the load error, and "Load more". */
export function ListFooter({
  query,
  count,
  what,
  emptyText,
}: {
  query: TListQuery
  count: number
  what: string
  emptyText: string
}) {
  return (
    <>
      {query.isSuccess && count === 0 && <p className="muted">{emptyText}</p>}
      {query.isError && (
        <p role="alert">
          Could not load {what}: {query.error?.message}
        </p>
      )}
      <LoadMore query={query} what={what} />
    </>
  )
}
