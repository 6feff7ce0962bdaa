/**
 * Where the chart's event labels go (annotations, rebases, PDSA cycles), so that no two ever
 * overlap, however many there are: pure geometry, no SVG. Labels sit in rows under the time axis;
 * when they do not all fit in a few rows they become numbered markers (neighbours grouped as
 * "4–9" when even the numbers would collide), and a key gives each event's date and full text.
 */

/** A rectangle in SVG user units. */
export interface Box {
  left: number
  top: number
  width: number
  height: number
}

/** True when two boxes share any area (touching edges do not count). */
export function boxesIntersect(a: Box, b: Box): boolean {
  return (
    a.left < b.left + b.width &&
    b.left < a.left + a.width &&
    a.top < b.top + b.height &&
    b.top < a.top + a.height
  )
}

const NARROW = new Set([..." ijlI.,:;'!|()[]ft/"])
const WIDE = new Set([...'mwMW@%&'])

/**
 * A generous estimate of the width of text in Arial (or Liberation Sans, its metric twin, which
 * the PNG uses): wide enough that boxes laid out with it never touch on screen.
 * @example textWidth('Rebase', 11) // about 41
 */
export function textWidth(text: string, size: number): number {
  let em = 0
  for (const ch of text) em += charEm(ch)
  return em * size
}

function charEm(ch: string): number {
  if ((ch.codePointAt(0) ?? 0) >= 0x2e80) return 1
  if (NARROW.has(ch)) return 0.3
  if (WIDE.has(ch)) return 0.92
  if (ch >= 'A' && ch <= 'Z') return 0.72
  return 0.58
}

/**
 * The text cut to fit `maxWidth`, at a word boundary where one is near, with "…" when cut.
 * @example shortenText('Started the new discharge checklist on ward 4', 120, 11) // 'Started the new…'
 */
export function shortenText(text: string, maxWidth: number, size: number): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  if (textWidth(clean, size) <= maxWidth) return clean
  const room = maxWidth / size - charEm('…')
  let em = 0
  let cut = ''
  for (const ch of clean) {
    if (em + charEm(ch) > room) break
    em += charEm(ch)
    cut += ch
  }
  const space = cut.lastIndexOf(' ')
  if (space > cut.length * 0.6) cut = cut.slice(0, space)
  return `${cut.trimEnd() || [...clean][0]}…`
}

/**
 * Breaks text into lines no wider than `maxWidth` (at spaces; a word longer than a line is split).
 * @example wrapToWidth('Rebase: the new triage nurse started', 120, 11) // ['Rebase: the new triage', 'nurse started']
 */
export function wrapToWidth(text: string, maxWidth: number, size: number): string[] {
  const lines: string[] = []
  let line = ''
  for (let word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    while (textWidth(word, size) > maxWidth && [...word].length > 1) {
      if (line) lines.push(line)
      line = ''
      const chars = [...word]
      let n = chars.length - 1
      while (n > 1 && textWidth(chars.slice(0, n).join(''), size) > maxWidth) n--
      lines.push(chars.slice(0, n).join(''))
      word = chars.slice(n).join('')
    }
    const joined = line ? `${line} ${word}` : word
    if (!line || textWidth(joined, size) <= maxWidth) line = joined
    else {
      lines.push(line)
      line = word
    }
  }
  if (line) lines.push(line)
  return lines.length ? lines : ['']
}

/** An event to label, at `x` (SVG units) on the time axis. */
export interface AxisEvent {
  x: number
  label: string
}

/** One label under the axis: a text (or key numbers) for one event or a group of neighbours. */
export interface AxisLabel {
  text: string
  box: Box
  row: number
  /** Key numbers (1-based, in time order) of the events it stands for. */
  numbers: number[]
  /** Where its events are on the axis (the first and last). */
  from: number
  to: number
}

export interface AxisLayout {
  /** `labels`: each event's text; `numbers`: numbered markers, explained by the key. */
  mode: 'labels' | 'numbers'
  labels: AxisLabel[]
  /** Rows used under the axis. */
  rows: number
  /** The events in time order (key number k is `events[order[k - 1]]`). */
  order: number[]
  /** Whether the chart needs its key: numbered markers, or a label shortened. */
  key: boolean
}

export interface AxisLayoutOptions {
  /** The room along the axis for labels. */
  left: number
  right: number
  /** Top of the first row. */
  top: number
  fontSize?: number
  rowHeight?: number
  maxRows?: number
  /** Longest label text before it is shortened (its full text goes to the key). */
  maxLabelWidth?: number
  /** Space kept between two labels in a row. */
  gap?: number
}

function placeInRows(
  items: { text: string; from: number; to: number; numbers: number[] }[],
  o: Required<AxisLayoutOptions>,
  pad: number,
): AxisLabel[] | null {
  const rows: Box[][] = []
  const placed: AxisLabel[] = []
  const room = o.right - o.left
  for (const item of items) {
    const width = Math.min(room, textWidth(item.text, o.fontSize) + pad * 2)
    const centre = (item.from + item.to) / 2
    const left = Math.min(Math.max(centre - width / 2, o.left), o.right - width)
    let row = 0
    for (; row < o.maxRows; row++) {
      const taken = rows[row] ?? (rows[row] = [])
      if (taken.every((b) => left >= b.left + b.width + o.gap || left + width + o.gap <= b.left)) break
    }
    if (row === o.maxRows) return null
    const box = { left, top: o.top + row * o.rowHeight, width, height: o.fontSize + 4 }
    rows[row].push(box)
    placed.push({ ...item, box, row })
  }
  return placed
}

/**
 * Lays out the labels of events under a time axis so that no two boxes intersect: each event's
 * label in up to `maxRows` rows when they fit (shortened past `maxLabelWidth`), otherwise
 * numbered markers, neighbours grouped ("4–9") until the numbers fit. Key numbers follow time.
 * @example layoutAxisEvents([{ x: 100, label: 'New triage' }], { left: 60, right: 780, top: 400 }).mode // 'labels'
 */
export function layoutAxisEvents(events: readonly AxisEvent[], options: AxisLayoutOptions): AxisLayout {
  const o: Required<AxisLayoutOptions> = {
    fontSize: 11,
    rowHeight: 17,
    maxRows: 3,
    maxLabelWidth: 150,
    gap: 6,
    ...options,
  }
  const order = events.map((_, i) => i).sort((a, b) => events[a].x - events[b].x || a - b)
  if (order.length === 0) return { mode: 'labels', labels: [], rows: 0, order, key: false }
  const shortened = order.map((i) => shortenText(events[i].label, o.maxLabelWidth, o.fontSize))
  const cut = order.some((i, k) => shortened[k] !== events[i].label.replace(/\s+/g, ' ').trim())
  const asLabels = placeInRows(
    order.map((i, k) => ({
      text: cut ? `${k + 1} ${shortened[k]}` : shortened[k],
      from: events[i].x,
      to: events[i].x,
      numbers: [k + 1],
    })),
    o,
    2,
  )
  const rowsOf = (labels: AxisLabel[]) => 1 + Math.max(...labels.map((l) => l.row))
  if (asLabels) return { mode: 'labels', labels: asLabels, rows: rowsOf(asLabels), order, key: cut }
  // Numbered markers: neighbours closer than `spacing` share one label, wider each round.
  const xs = order.map((i) => events[i].x)
  let spacing = 0
  for (;;) {
    const groups: { text: string; from: number; to: number; numbers: number[] }[] = []
    for (let k = 0; k < xs.length; k++) {
      const g = groups[groups.length - 1]
      if (g && xs[k] - g.from <= spacing) {
        g.to = xs[k]
        g.numbers.push(k + 1)
      } else groups.push({ text: '', from: xs[k], to: xs[k], numbers: [k + 1] })
    }
    for (const g of groups)
      g.text =
        g.numbers.length === 1 ? String(g.numbers[0]) : `${g.numbers[0]}–${g.numbers[g.numbers.length - 1]}`
    const placed = placeInRows(groups, o, 4)
    if (placed) return { mode: 'numbers', labels: placed, rows: rowsOf(placed), order, key: true }
    spacing = spacing === 0 ? textWidth('00', o.fontSize) : spacing * 1.6
  }
}

/** One entry of the key: its lines of text (wrapped) and its box. */
export interface KeyEntry {
  number: number
  lines: string[]
  box: Box
}

/**
 * The key under the chart: entries (already numbered and in order) in `columns` columns, filled
 * down then across, each wrapped to its column.
 * @example layoutKey(['1 12 Mar 2024: New triage'], { left: 60, width: 700, top: 500 }).height // 15
 */
export function layoutKey(
  entries: readonly string[],
  options: {
    left: number
    width: number
    top: number
    columns?: number
    fontSize?: number
    lineHeight?: number
  },
): { entries: KeyEntry[]; height: number } {
  const columns = Math.max(1, options.columns ?? 1)
  const size = options.fontSize ?? 11
  const lineHeight = options.lineHeight ?? 15
  const gap = 16
  const columnWidth = (options.width - gap * (columns - 1)) / columns
  const wrapped = entries.map((e) => wrapToWidth(e, columnWidth, size))
  const total = wrapped.reduce((n, lines) => n + lines.length, 0)
  const perColumn = Math.ceil(total / columns)
  const out: KeyEntry[] = []
  let column = 0
  let y = 0
  let height = 0
  wrapped.forEach((lines, k) => {
    if (y > 0 && y + lines.length > perColumn && column < columns - 1) {
      column++
      y = 0
    }
    out.push({
      number: k + 1,
      lines,
      box: {
        left: options.left + column * (columnWidth + gap),
        top: options.top + y * lineHeight,
        width: columnWidth,
        height: lines.length * lineHeight,
      },
    })
    y += lines.length
    height = Math.max(height, y * lineHeight)
  })
  return { entries: out, height }
}
