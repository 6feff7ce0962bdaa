import type { FastifyReply } from 'fastify'

/** Form fields that may arrive once (a string) or repeated (an array): always a list, so templates can test membership. */
export function withLists(body: unknown, keys: string[]): Record<string, unknown> {
  const values = { ...(typeof body === 'object' && body ? (body as Record<string, unknown>) : {}) }
  for (const k of keys) values[k] = values[k] === undefined ? [] : ([] as unknown[]).concat(values[k])
  return values
}

/** A file to download, never cached by shared caches. */
export function sendFile(reply: FastifyReply, type: string, filename: string, body: string | Buffer) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
    .header('cache-control', 'private, no-store')
    .send(body)
}

export const params = (p: unknown) => p as Record<string, string>
