import { z } from 'zod'
import { optionalPlainText } from '../web/forms.js'

/**
 * The search page's query. `q` is the box, kept whole up to 20,000 characters so that an
 * over-long search gets its own answer (search/query.ts) rather than silently losing words;
 * `type` is a kind from the filters (checked against the sources by the service).
 */
export const searchQuery = z.object({
  q: optionalPlainText('search', 20000).catch(''),
  type: z
    .string()
    .regex(/^[a-z_]{1,30}$/)
    .or(z.literal(''))
    .catch(''),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
})
