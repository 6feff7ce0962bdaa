const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for HTML and XML (SVG) content and attribute values: & < > " ' become
 * entities, and characters XML 1.0 forbids (control characters other than tab, line feed
 * and carriage return; lone surrogates) are dropped. The one escaper for markup we write
 * ourselves: e-mails' HTML part, the SPC charts and the improvement diagrams.
 * @example escapeXml('<b>"A&B"</b>') // '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;'
 */
export function escapeXml(text: string | number): string {
  return String(text)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
}
