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

/** The selects both forms have: programme, organisation and aim, from the filter options. */
export function sharedChoices(
  options: {
    programmes: { id: string; name: string }[]
    organisations: { id: string; name: string }[]
    aims: { code: string; text: string }[]
  },
  q: { programme: string; organisation: string; aim: string },
) {
  return {
    programme: choices(
      options.programmes.map((p) => ({ value: p.id, text: p.name })),
      q.programme,
      'Any programme',
    ),
    organisation: choices(
      options.organisations.map((o) => ({ value: o.id, text: o.name })),
      q.organisation,
      'Any organisation',
    ),
    aim: choices(
      options.aims.map((a) => ({ value: a.code, text: `${a.code}: ${a.text}` })),
      q.aim,
      'Any aim',
    ),
  }
}
