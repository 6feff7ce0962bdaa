/** Previous/next links for the NHS.UK pagination component, keeping the filters in the query string. */
function pageLink(path: string, params: URLSearchParams) {
  return (n: number) => {
    const p = new URLSearchParams(params)
    if (n > 1) p.set('page', String(n))
    const qs = p.toString()
    return qs ? `${path}?${qs}` : path
  }
}

export function pagination(
  path: string,
  params: URLSearchParams,
  page: number,
  pageSize: number,
  total: number,
) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const link = pageLink(path, params)
  return {
    page,
    pages,
    total,
    from: total === 0 ? 0 : (page - 1) * pageSize + 1,
    to: Math.min(page * pageSize, total),
    previous: page > 1 ? { href: link(page - 1), labelText: `${page - 1} of ${pages}` } : undefined,
    next: page < pages ? { href: link(page + 1), labelText: `${page + 1} of ${pages}` } : undefined,
  }
}

/**
 * Previous/next links where the total is not counted (a search's "more than 100"): the next link
 * shows when the page knows there is more, and the labels say the page's number only.
 */
export function openPagination(
  path: string,
  params: URLSearchParams,
  page: number,
  pageSize: number,
  shown: number,
  hasNext: boolean,
) {
  const link = pageLink(path, params)
  const from = shown === 0 ? 0 : (page - 1) * pageSize + 1
  return {
    page,
    pages: hasNext ? page + 1 : page,
    total: null,
    from,
    to: shown === 0 ? 0 : from + shown - 1,
    previous: page > 1 ? { href: link(page - 1), labelText: `Page ${page - 1}` } : undefined,
    next: hasNext ? { href: link(page + 1), labelText: `Page ${page + 1}` } : undefined,
  }
}
