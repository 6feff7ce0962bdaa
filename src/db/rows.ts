/**
 * One row factory per table, for the code that writes rows directly rather than through a
 * feature's service: repository tests, fixtures, the demo loaders and the benchmarks. Each
 * takes the columns that mean something to the caller and fills the rest the way a fresh row
 * of the product would have them (new id, timestamps now, nothing verified, not demo), so a
 * column added to a table is defaulted here once, not in every test and loader.
 *
 * Factories build values; they never touch the database. Callers insert them, alone or in a
 * batch, inside their own transaction.
 */
import type { Insertable } from 'kysely'
import { newId } from '../core/ids.js'
import type { DB } from './schema.js'

type Row<T extends keyof DB> = Insertable<DB[T]>
/** The columns a caller must give, and any others it wants to set. */
type Needs<T extends keyof DB, K extends keyof Row<T>> = Pick<Row<T>, K> & Partial<Row<T>>

function now(): string {
  return new Date().toISOString()
}

export function userRow(values: Needs<'users', 'email' | 'name'>): Row<'users'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    password_hash: null,
    organisation_id: null,
    affiliation: values.organisation_id ? 'organisation' : 'independent',
    email_verified_at: null,
    org_verified_at: null,
    org_verified_by: null,
    disabled_at: null,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function roleGrantRow(values: Needs<'role_grants', 'user_id' | 'role'>): Row<'role_grants'> {
  return {
    id: newId(),
    scope_type: 'platform',
    scope_id: '',
    granted_by: null,
    created_at: now(),
    ...values,
  }
}

export function organisationRow(values: Needs<'organisations', 'id' | 'name'>): Row<'organisations'> {
  return {
    slug: values.id,
    kind: 'trust',
    ods_code: null,
    notes: null,
    is_partner: true,
    is_demo: false,
    created_at: now(),
    ...values,
  }
}

export function projectRow(values: Needs<'projects', 'title'>): Row<'projects'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    problem: '',
    status: 'active',
    visibility: 'team',
    public_approved_at: null,
    public_approved_by: null,
    public_requested_at: null,
    public_consent_at: null,
    public_consent_by: null,
    programme_id: null,
    progress_score: null,
    research_answer: null,
    submitted_at: null,
    approved_at: null,
    approved_by: null,
    returned_comment: null,
    abandoned_reason: null,
    status_changed_at: null,
    last_activity_at: at,
    created_by: null,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function projectMemberRow(
  values: Needs<'project_members', 'project_id' | 'user_id' | 'role'>,
): Row<'project_members'> {
  return { added_at: now(), added_by: null, ...values }
}

export function projectAimRow(
  values: Needs<'project_aims', 'project_id' | 'what' | 'for_whom' | 'by_when' | 'statement'>,
): Row<'project_aims'> {
  return { id: newId(), version: 1, created_at: now(), created_by: null, ...values }
}

export function projectActivityRow(
  values: Needs<'project_activity', 'project_id' | 'kind' | 'summary'>,
): Row<'project_activity'> {
  return { at: now(), actor_id: null, team_note: null, ...values }
}

export function commentRow(values: Needs<'comments', 'project_id' | 'target_id' | 'body'>): Row<'comments'> {
  return { id: newId(), target_type: 'project', author_id: null, created_at: now(), ...values }
}

export function measureRow(values: Needs<'measures', 'project_id' | 'name'>): Row<'measures'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    type: 'outcome',
    direction: 'increase',
    target: null,
    data_kind: 'continuous',
    chart_type: null,
    last_data_at: null,
    created_by: null,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function pdsaCycleRow(
  values: Needs<'pdsa_cycles', 'project_id' | 'change_idea_id' | 'title'>,
): Row<'pdsa_cycles'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    previous_id: null,
    status: 'planned',
    objective: '',
    prediction: '',
    planned_date: null,
    do_start: null,
    do_end: null,
    prediction_met: null,
    decision: null,
    decided_at: null,
    closed_at: null,
    created_by: null,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function dataPointRow(
  values: Needs<'measure_data_points', 'measure_id' | 'period'>,
): Row<'measure_data_points'> {
  return {
    value: null,
    numerator: null,
    denominator: null,
    exclusion_reason: null,
    entered_by: null,
    entered_at: null,
    ...values,
  }
}

export function facultyRow(values: Needs<'faculties', 'id' | 'name'>): Row<'faculties'> {
  return {
    slug: values.id,
    host_organisation_id: null,
    contact: null,
    level_names: null,
    notes: null,
    created_at: now(),
    ...values,
  }
}

export function courseRow(values: Needs<'courses', 'faculty_id' | 'title'>): Row<'courses'> {
  const at = values.created_at ?? now()
  const id = values.id ?? newId()
  return {
    id,
    slug: id,
    level: 'foundation',
    local_level: null,
    mode: 'online',
    open_to_all: true,
    eligible_org_ids: null,
    eligible_roles: null,
    min_attendance_pct: 100,
    requires_project: false,
    requires_assessment: false,
    requires_approval: false,
    certificate_valid_months: null,
    published: true,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function cohortRow(
  values: Needs<'cohorts', 'course_id' | 'name' | 'enrolment_closes_at'>,
): Row<'cohorts'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    capacity: 20,
    starts_at: null,
    ends_at: null,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function enrolmentRow(
  values: Needs<'enrolments', 'cohort_id' | 'user_id' | 'queue_no'>,
): Row<'enrolments'> {
  const at = values.requested_at ?? now()
  return {
    id: newId(),
    status: 'enrolled',
    requested_at: at,
    status_changed_at: at,
    decided_by: null,
    project_id: null,
    completed_at: null,
    ...values,
  }
}

export function attendanceRow(values: Needs<'attendance', 'session_id' | 'enrolment_id'>): Row<'attendance'> {
  return { present: true, marked_by: null, marked_at: now(), ...values }
}

export function supportRequestRow(
  values: Needs<'support_requests', 'title' | 'need' | 'start_date' | 'end_date'>,
): Row<'support_requests'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    requester_id: null,
    organisation_id: null,
    programme_id: null,
    scale: 'team',
    help_wanted: '[]',
    aim_codes: '[]',
    status: 'submitted',
    status_changed_at: at,
    signpost_faculty_id: null,
    outcome: null,
    priority_override: null,
    priority_override_reason: null,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function boardMeasureRow(values: Needs<'board_measures', 'measure_id'>): Row<'board_measures'> {
  return { priority_id: null, flagged_by: null, flagged_at: now(), ...values }
}

export function libraryResourceRow(
  values: Needs<'library_resources', 'slug' | 'kind' | 'title' | 'audience'>,
): Row<'library_resources'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    url: null,
    checked_on: null,
    app_href: null,
    qsir_stage: null,
    created_at: at,
    updated_at: at,
    updated_by: null,
    ...values,
  }
}

export function libraryResourceRevisionRow(
  values: Needs<'library_resource_revisions', 'resource_id' | 'version' | 'title'>,
): Row<'library_resource_revisions'> {
  return { url: null, created_at: now(), author_id: null, ...values }
}

export function boardPackRow(values: Partial<Row<'board_packs'>> = {}): Row<'board_packs'> {
  return {
    id: newId(),
    status: 'queued',
    progress: 0,
    live: values.status === 'done' || values.status === 'failed' ? null : 'live',
    requested_by: null,
    requested_at: now(),
    measure_ids: '[]',
    job_id: null,
    data_as_at: null,
    content: null,
    pptx: null,
    pdf: null,
    error: null,
    finished_at: null,
    ...values,
  }
}

export function capabilityTargetRow(
  values: Needs<'capability_targets', 'organisation_id' | 'level' | 'percent' | 'by_date'>,
): Row<'capability_targets'> {
  return { set_by: null, set_at: now(), ...values }
}

export function organisationHeadcountRow(
  values: Needs<'organisation_headcounts', 'organisation_id' | 'headcount'>,
): Row<'organisation_headcounts'> {
  return { updated_by: null, updated_at: now(), ...values }
}

export function impactAssessmentRow(
  values: Needs<'impact_assessments', 'period' | 'status'>,
): Row<'impact_assessments'> {
  const at = now()
  return {
    id: newId(),
    organisation_id: null,
    shared: false,
    created_by: null,
    created_at: at,
    updated_at: at,
    completed_at: null,
    ...values,
  }
}

export function impactRatingRow(
  values: Needs<'impact_ratings', 'assessment_id' | 'area'>,
): Row<'impact_ratings'> {
  return { level: null, note: null, ...values }
}

export function impactActionRow(
  values: Needs<'impact_actions', 'assessment_id' | 'area' | 'text'>,
): Row<'impact_actions'> {
  return { id: newId(), link_type: null, link_ref: null, created_by: null, created_at: now(), ...values }
}

export function governanceSettingsRow(
  values: Needs<'governance_settings', 'stalled_days'>,
): Row<'governance_settings'> {
  return { id: 'system', updated_by: null, updated_at: now(), ...values }
}

export function networkRow(values: Needs<'networks', 'slug' | 'name'>): Row<'networks'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    purpose: '',
    join_policy: 'open',
    created_by: null,
    created_at: at,
    updated_at: at,
    ...values,
  }
}

export function networkMemberRow(
  values: Needs<'network_members', 'network_id' | 'user_id'>,
): Row<'network_members'> {
  const at = values.requested_at ?? now()
  return {
    role: 'member',
    status: 'active',
    email_pref: 'none',
    requested_at: at,
    joined_at: values.status === 'requested' ? null : at,
    ...values,
  }
}

export function networkThreadRow(
  values: Needs<'network_threads', 'network_id' | 'title'>,
): Row<'network_threads'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    created_by: null,
    created_at: at,
    last_post_at: at,
    status: 'open',
    removed_at: null,
    removed_by: null,
    ...values,
  }
}

export function networkPostRow(
  values: Needs<'network_posts', 'thread_id' | 'network_id' | 'body'>,
): Row<'network_posts'> {
  return {
    id: newId(),
    author_id: null,
    is_opening: false,
    status: 'visible',
    created_at: now(),
    edited_at: null,
    removed_at: null,
    removed_by: null,
    ...values,
  }
}

export function networkReportRow(
  values: Needs<'network_reports', 'post_id' | 'network_id' | 'reason'>,
): Row<'network_reports'> {
  return {
    id: newId(),
    reporter_id: null,
    routed_to: values.reason === 'patient_data' ? 'ig_lead' : 'moderators',
    status: 'open',
    created_at: now(),
    handled_by: null,
    handled_at: null,
    ...values,
  }
}

export function showcaseItemRow(values: Needs<'showcase_items', 'title' | 'slug'>): Row<'showcase_items'> {
  const at = values.created_at ?? now()
  return {
    id: newId(),
    occasion_id: null,
    funder_organisation_id: null,
    scheme: null,
    funded_year: null,
    external_url: null,
    status: 'draft',
    visibility: 'public',
    summary: '',
    project_id: null,
    programme_id: null,
    funder: null,
    year: null,
    created_by: null,
    created_at: at,
    updated_at: at,
    submitted_at: null,
    submitted_by: null,
    decided_at: null,
    decided_by: null,
    decision_comment: null,
    file_status: 'none',
    file_error: null,
    file_kind: null,
    file_name: null,
    consent_confirmed_at: null,
    consent_confirmed_by: null,
    search_text: `${values.title} ${values.summary ?? ''}`.toLowerCase(),
    ...values,
  }
}

export function partnerYouSaidRow(
  values: Needs<'partner_you_said', 'project_id' | 'you_said' | 'we_did' | 'said_on'>,
): Row<'partner_you_said'> {
  const at = values.created_at ?? now()
  return { id: newId(), author_id: null, created_at: at, updated_at: at, ...values }
}

export function partnerInvolvementRow(
  values: Needs<'partner_involvement', 'project_id' | 'partner_id' | 'involved_on' | 'what_for'>,
): Row<'partner_involvement'> {
  return {
    id: newId(),
    sessions: 1,
    minutes: 0,
    expenses_pence: 0,
    status: 'claimed',
    created_at: now(),
    decided_by: null,
    decided_at: null,
    paid_by: null,
    paid_at: null,
    ...values,
  }
}

export function partnerSettingsRow(
  values: Needs<'partner_settings', 'max_reading_age'>,
): Row<'partner_settings'> {
  return { id: 'system', updated_by: null, updated_at: now(), ...values }
}

export function measureResultRow(
  values: Needs<'measure_results', 'measure_id' | 'inputs_key'>,
): Row<'measure_results'> {
  return { computed_at: now(), signal: null, ...values }
}

export function mailUnsubscribeTokenRow(
  values: Needs<'mail_unsubscribe_tokens', 'token_hash' | 'user_id' | 'list'>,
): Row<'mail_unsubscribe_tokens'> {
  return { created_at: now(), used_at: null, ...values }
}

export function governanceDigestPrefRow(
  values: Needs<'governance_digest_prefs', 'user_id' | 'weekly'>,
): Row<'governance_digest_prefs'> {
  return { updated_at: now(), ...values }
}

export function governanceDigestSentRow(
  values: Needs<'governance_digests_sent', 'user_id' | 'week'>,
): Row<'governance_digests_sent'> {
  return { sent_at: now(), ...values }
}

export function networkMentionRow(
  values: Needs<'network_mentions', 'post_id' | 'mentioned_id'>,
): Row<'network_mentions'> {
  return { author_id: null, created_at: now(), ...values }
}

export function notificationPreferenceRow(
  values: Needs<'notification_preferences', 'user_id' | 'kind' | 'frequency'>,
): Row<'notification_preferences'> {
  return { updated_at: now(), ...values }
}

export function notificationDigestItemRow(
  values: Needs<'notification_digest_items', 'user_id' | 'kind' | 'frequency' | 'subject' | 'text_body'>,
): Row<'notification_digest_items'> {
  return { id: newId(), created_at: now(), digest_key: null, ...values }
}
