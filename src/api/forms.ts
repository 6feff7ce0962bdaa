import { z } from 'zod'
import { requiredText } from '../web/forms.js'
import { TOKEN_LIFETIMES } from './tokens.js'

export const tokenForm = z.object({
  name: requiredText('a name for the token', 80),
  access: z.enum(['read', 'write'], { error: 'Select what the token may do' }),
  days: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().refine((v) => Object.hasOwn(TOKEN_LIFETIMES, v), { error: 'Select when the token expires' }),
  ),
})
