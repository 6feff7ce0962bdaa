/** Previous/next links for the NHS.UK pagination component, keeping the filters in the query string. */
export function pagination(
  path: string,
  params: URLSearchParams,
  page: number,
  pageSize: number,
  total: number,
) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const link = (n: number) => {
    const p = new URLSearchParams(params)
    if (n > 1) p.set('page', String(n))
    const qs = p.toString()
    return qs ? `${path}?${qs}` : path
  }
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
