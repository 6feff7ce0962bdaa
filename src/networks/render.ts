import { renderMarkdown } from '../pages/markdown.js'

/**
 * A post's Markdown as safe HTML: the platform's one sanitiser (pages/markdown.ts) removes
 * scripts, iframes, event handlers, styles and any link that is not http(s) or mailto.
 * Headings are made smaller so a post never outranks the page's own.
 */
export function renderPost(markdown: string): string {
  return renderMarkdown(markdown)
    .replace(/<(\/?)h2>/g, '<$1h3>')
    .replace(/<img [^>]*>/g, '')
}
