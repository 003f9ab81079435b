interface TPagedQuery {
  hasNextPage: boolean
  isFetchingNextPage: boolean
  fetchNextPage: () => unknown
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
