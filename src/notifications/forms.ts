import { z } from 'zod'
import { FREQUENCIES, PREFERENCE_KIND_NAMES, type Frequency, type PreferenceKind } from './kinds.js'

const choice = z.enum(FREQUENCIES, { error: 'Choose how often you want these e-mails' })

/** The settings form: one choice per kind of e-mail. */
export const preferencesForm = z.object(
  Object.fromEntries(PREFERENCE_KIND_NAMES.map((k) => [k, choice])) as Record<PreferenceKind, typeof choice>,
) as unknown as z.ZodType<Record<PreferenceKind, Frequency>>
