import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

const marked = new Marked({ gfm: true, breaks: false, async: false })

/**
 * Markdown written by admins, rendered to HTML that is safe to put on a page:
 * no scripts, no event handlers, no styles, only http(s)/mailto links and
 * site-relative images. NHS.UK classes are added for tables and lists.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string
  return sanitizeHtml(html, {
    allowedTags: [
      'h2',
      'h3',
      'h4',
      'p',
      'a',
      'ul',
      'ol',
      'li',
      'strong',
      'em',
      'blockquote',
      'code',
      'pre',
      'hr',
      'br',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'img',
    ],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt'], th: ['scope'], td: [] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    transformTags: {
      h1: 'h2',
      ul: sanitizeHtml.simpleTransform('ul', { class: 'nhsuk-list nhsuk-list--bullet' }),
      ol: sanitizeHtml.simpleTransform('ol', { class: 'nhsuk-list nhsuk-list--number' }),
      table: sanitizeHtml.simpleTransform('table', { class: 'nhsuk-table' }),
      blockquote: sanitizeHtml.simpleTransform('blockquote', { class: 'nhsuk-inset-text' }),
    },
    allowedClasses: {
      ul: ['nhsuk-list', 'nhsuk-list--bullet'],
      ol: ['nhsuk-list', 'nhsuk-list--number'],
      table: ['nhsuk-table'],
      blockquote: ['nhsuk-inset-text'],
    },
  })
}
