/**
 * SPC chart pictures and their text alternatives: pure functions from an engine result to SVG
 * (and, through resvg, PNG). No templates here; a web component can wrap these.
 */
export { renderSpcChartSvg } from './svg.js'
export type { ChartOptions, ChartAnnotation } from './svg.js'
export {
  renderVariationIcon,
  renderAssuranceIcon,
  VARIATION_ICON_LABELS,
  ASSURANCE_ICON_LABELS,
} from './icons.js'
export { describeSpcResult, spcTableRows } from './describe.js'
export type { DescribeOptions, SpcTableRow } from './describe.js'
export { formatX, formatNumber, niceTicks } from './format.js'
export { COLOURS } from './colours.js'
