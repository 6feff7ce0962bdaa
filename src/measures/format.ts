/**
 * A number for people, as src/charts' `formatNumber` writes it (up to 4 significant digits, no
 * trailing zeros, thousands separated with commas), without Intl: a data table has thousands of
 * numbers, and `toLocaleString` with options cost about 0.2 ms a call.
 * @example formatValue(1234.5678) // '1,235'
 * @example formatValue(0.0904109589) // '0.09041'
 */
export function formatValue(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return ''
  if (v === 0) return '0'
  const abs = Math.abs(v)
  const digits = Math.min(6, abs >= 1000 ? 0 : Math.max(0, 3 - Math.floor(Math.log10(abs))))
  const fixed = abs.toFixed(digits)
  let [whole, fraction = ''] = fixed.split('.')
  fraction = fraction.replace(/0+$/, '')
  if (whole.length > 3) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const text = fraction ? `${whole}.${fraction}` : whole
  return v < 0 && text !== '0' ? `-${text}` : text
}
