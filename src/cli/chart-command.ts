/**
 * `npm run qi -- chart`: the same JSON request as `qi spc` on stdin, the chart as SVG on stdout
 * (PNG bytes with `--png`). Options: --title T, --y-label L, --width W, --height H, --sigma-lines.
 * Annotations may come in the request as `"annotations": [{"x": ..., "label": "..."}]` (the engine
 * ignores fields it does not know). Imports only the engine and the renderer.
 */
import { analyse } from '../spc/index.js'
import { renderSpcChartSvg } from '../charts/index.js'
import type { ChartAnnotation, ChartOptions } from '../charts/index.js'
import { parseRequestText, readStdin, writeStdout } from './spc-command.js'

export async function run(args: string[]): Promise<number> {
  return renderRequest(await readStdin(), args)
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined
}

function annotationsOf(input: unknown): ChartAnnotation[] {
  if (typeof input !== 'object' || input === null || !('annotations' in input)) return []
  const list = input.annotations
  if (!Array.isArray(list)) return []
  return list.flatMap((a: unknown) => {
    if (typeof a !== 'object' || a === null) return []
    const { x, label } = a as { x?: unknown; label?: unknown }
    if ((typeof x !== 'number' && typeof x !== 'string') || typeof label !== 'string') return []
    return [{ x, label }]
  })
}

/**
 * Renders the request text as SVG (or PNG with --png) on stdout. A request the engine rejects, or
 * a batch, is reported on stderr with exit status 2 (a picture command has no JSON to write).
 */
export async function renderRequest(text: string, args: string[]): Promise<number> {
  const parsed = parseRequestText(text)
  if (!parsed.ok) {
    process.stderr.write(`qi chart: ${parsed.error}\n`)
    return 2
  }
  const input = parsed.value
  if (typeof input === 'object' && input !== null && 'batch' in input) {
    process.stderr.write('qi chart: a batch cannot be drawn; send one request\n')
    return 2
  }
  const result = analyse(input)
  if (!result.ok) {
    process.stderr.write(`qi chart: ${result.error}\n`)
    return 2
  }
  const width = Number(flag(args, '--width') ?? 800)
  const height = Number(flag(args, '--height') ?? 420)
  const options: ChartOptions = {
    title: flag(args, '--title'),
    yLabel: flag(args, '--y-label'),
    width: Number.isFinite(width) && width >= 200 ? width : 800,
    height: Number.isFinite(height) && height >= 150 ? height : 420,
    annotations: annotationsOf(input),
    showSigmaLines: args.includes('--sigma-lines'),
  }
  const svg = renderSpcChartSvg(result, options)
  if (args.includes('--png')) {
    const { renderPng } = await import('../charts/png.js')
    await writeStdout([renderPng(svg)])
  } else {
    await writeStdout([`${svg}\n`])
  }
  return 0
}
