/** The print page's own styles (served at /board/packs/print.css: the policy allows no inline styles). */
export const PRINT_CSS = `
.app-pack-section { margin-bottom: 32px; }
.app-pack-chart svg { max-width: 100%; height: auto; }
.app-pack-icons svg { width: 48px; height: 48px; margin-right: 8px; }
.app-pack-table .app-pack-icons svg { width: 24px; height: 24px; vertical-align: middle; display: block; margin-bottom: 4px; }
.app-pack-table { font-size: 14px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  .nhsuk-header, .nhsuk-footer, .nhsuk-skip-link, .nhsuk-back-link, .app-pack-actions { display: none !important; }
  .nhsuk-width-container { max-width: none; margin: 0; }
  body { font-size: 11pt; }
  .app-pack-section { break-before: page; margin: 0; }
  .app-pack-section:first-of-type { break-before: auto; }
  .app-pack-table { font-size: 9pt; }
  .app-pack-table tr { break-inside: avoid; }
  .app-pack-chart { break-inside: avoid; }
  .app-pack-chart svg { max-height: 12cm; width: auto; }
  a { color: inherit; text-decoration: none; }
}
`
