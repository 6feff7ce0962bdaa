/** What the gallery's and the archive's filter forms share: the query to keep, and the selects' items. */

/** The filters in use, as the query string a pager and "clear the filters" keep. */
export function filterParams(values: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v)
  return params
}

/** A select's items: "any" first, then the choices, the current one selected. */
export function choices(items: { value: string; text: string }[], selected: string, any: string) {
  return [{ value: '', text: any }, ...items.map((i) => ({ ...i, selected: i.value === selected }))]
}
