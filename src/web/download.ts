import type { FastifyReply } from 'fastify'

/** A file to send as a download. */
export interface DownloadFile {
  filename: string
  body: string | Buffer
}

/** An SVG download runs nothing and loads nothing, even when opened on its own. */
export const SVG_DOWNLOAD_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

/**
 * Sends a file as an attachment, never cached and never sniffed as another type (the measure
 * downloads and the diagram pictures). Refusals before this are problems, not pages: the path
 * ends in a download's extension (see web/delivery.ts).
 */
export function sendDownload(reply: FastifyReply, file: DownloadFile, type: string) {
  if (type.startsWith('image/svg+xml')) reply.header('content-security-policy', SVG_DOWNLOAD_CSP)
  return reply
    .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .type(type)
    .send(file.body)
}

/** The content type of a picture download. */
export function pictureType(format: 'svg' | 'png'): string {
  return format === 'svg' ? 'image/svg+xml; charset=utf-8' : 'image/png'
}
