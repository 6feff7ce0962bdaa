import { escapeXml } from '../core/escape.js'

/** NHS.UK colours (nhsuk-frontend): blue, text, secondary text, grey background, link. */
const NHS_BLUE = '#005eb8'
const TEXT = '#212b32'
const SECONDARY = '#4c6272'
const GREY = '#f0f4f5'
const FONT = 'Arial, Helvetica, sans-serif'

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g

/** One line of text as HTML: escaped, with its web addresses as real links. */
function lineHtml(line: string): string {
  let html = ''
  let at = 0
  for (const match of line.matchAll(URL_PATTERN)) {
    const url = match[0]
    html += escapeXml(line.slice(at, match.index))
    html += `<a href="${escapeXml(url)}" style="color:${NHS_BLUE};text-decoration:underline;">${escapeXml(url)}</a>`
    at = match.index + url.length
  }
  return html + escapeXml(line.slice(at))
}

/**
 * The HTML part of a message, from its plain text, in the NHS.UK e-mail style: one table
 * layout (mail clients ignore stylesheets), an NHS blue band with the community's name,
 * Arial, inline styles only. Paragraphs are the text's blank-line-separated blocks; every
 * character of the text is escaped and its web addresses become links.
 */
export function mailHtml(message: { subject: string; text: string; communityName: string }): string {
  const paragraphs = message.text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n\s*\n/)
    .map(
      (block) =>
        `<p style="margin:0 0 16px 0;font-family:${FONT};font-size:16px;line-height:24px;color:${TEXT};">${block
          .split('\n')
          .map(lineHtml)
          .join('<br>')}</p>`,
    )
    .join('\n')
  const community = escapeXml(message.communityName)
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(message.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:${GREY};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${GREY};">
<tr><td align="center" style="padding:0;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;">
<tr><td style="background-color:${NHS_BLUE};padding:16px 24px;font-family:${FONT};font-size:20px;line-height:28px;font-weight:bold;color:#ffffff;">${community}</td></tr>
<tr><td style="background-color:#ffffff;padding:24px;">
<h1 style="margin:0 0 16px 0;font-family:${FONT};font-size:24px;line-height:32px;font-weight:bold;color:${TEXT};">${escapeXml(message.subject)}</h1>
${paragraphs}
</td></tr>
<tr><td style="padding:16px 24px;font-family:${FONT};font-size:14px;line-height:20px;color:${SECONDARY};">This message was sent automatically by the ${community}. Replies to it are not read.</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`
}
