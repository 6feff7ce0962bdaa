/**
 * SPC chart pictures and their text alternatives: pure functions from an engine result to SVG
 * (and, through resvg, PNG). No templates here; a web component can wrap these.
 */
export { renderSpcChartSvg } from './svg.js'
export { renderSparkline } from './sparkline.js'
export type { SparklineOptions } from './sparkline.js'
export type { ChartOptions, ChartAnnotation } from './svg.js'
export { chartEvents } from './svg-events.js'
export {
  renderVariationIcon,
  renderAssuranceIcon,
  VARIATION_ICON_LABELS,
  ASSURANCE_ICON_LABELS,
} from './icons.js'
export { describeSpcResult, spcTableRows, ruleSetWords } from './describe.js'
export { chartSignals, runsOf, longRunMarks } from './signals.js'
export type { ChartSignals, PointClass } from './signals.js'
export { layoutAxisEvents, layoutKey, textWidth, shortenText, boxesIntersect } from './labels.js'
export type { DescribeOptions, SpcTableRow } from './describe.js'
export { formatX, formatNumber, niceTicks } from './format.js'
export { COLOURS } from './colours.js'
