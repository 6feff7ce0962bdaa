import { z } from 'zod'

/** The digest's settings: yes or no (nothing else is typed). */
export const digestForm = z.object({
  weekly: z.enum(['yes', 'no'], { error: 'Choose whether you want the weekly digest' }),
})
