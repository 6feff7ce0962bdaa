/**
 * Synthetic improvement projects (issue 4), flagged is_demo and never attached to the real
 * programmes or posters. Fixed ids: the measures and improvement-methods demo content hangs off
 * demo-project-discharge, demo-project-falls and demo-project-referrals. People are named by the
 * local part of their demo e-mail address. `days` are offsets before "now" when loading.
 */
export const demoProjects = [
  {
    id: 'demo-project-discharge',
    title: 'Timely discharge before noon on Ward 3 (DEMO)',
    problem:
      'DEMO (synthetic). Most patients on Ward 3 who are ready to go home leave in the late afternoon. Beds are not free when the emergency department needs them, and patients wait for transport, medicines and letters.',
    status: 'active',
    visibility: 'community',
    organisations: ['org-ghft', 'org-ghc'],
    team: [
      { who: 'ada.aimwell', role: 'lead' },
      { who: 'ben.baseline', role: 'member' },
      { who: 'fay.feedback', role: 'partner' },
      { who: 'cara.cycle', role: 'coach' },
    ],
    aimCodes: ['E1', 'L2'],
    qsirStage: 'measure_understand',
    research: { answer: 'qi', notes: 'DEMO: HRA decision tool used at the start; it is not research.' },
    aims: [
      {
        what: 'Increase',
        measure: 'the percentage of patients discharged before noon',
        baseline: '',
        target: '30%',
        forWhom: 'patients on Ward 3',
        byWhen: 'December 2026',
        days: 200,
      },
      {
        what: 'Increase',
        measure: 'the percentage of patients discharged before noon',
        baseline: '15%',
        target: '40%',
        forWhom: 'patients on Ward 3',
        byWhen: '31 March 2027',
        days: 150,
      },
    ],
    scores: [
      { score: 1.0, note: 'Team formed and charter agreed.', days: 190 },
      { score: 2.0, note: 'Baseline data collected, first PDSA planned.', days: 120 },
      { score: 3.0, note: 'Modest improvement after the morning board round changes.', days: 30 },
    ],
    submittedDays: 180,
    approvedDays: 175,
    lessons: '',
    abandonedReason: null,
    comments: [
      {
        id: 'demo-comment-discharge-1',
        who: 'cara.cycle',
        body: 'DEMO: Great baseline. @Ada Aimwell, shall we add a balancing measure for readmissions within 7 days?',
        days: 100,
      },
      {
        id: 'demo-comment-discharge-2',
        who: 'ada.aimwell',
        body: 'DEMO: Yes. @Ben Baseline will set it up with the data team.',
        days: 99,
      },
    ],
  },
  {
    id: 'demo-project-falls',
    title: 'Fewer falls at home after community physiotherapy (DEMO)',
    problem:
      'DEMO (synthetic). People discharged from community physiotherapy fall at home in the first month more often than we expect. We want to test simple home checks and follow-up calls.',
    status: 'submitted',
    visibility: 'organisation',
    organisations: ['org-ghc'],
    team: [
      { who: 'ben.baseline', role: 'lead' },
      { who: 'ada.aimwell', role: 'member' },
    ],
    aimCodes: ['L2', 'F1'],
    qsirStage: 'define_scope',
    research: { answer: 'unsure', notes: 'DEMO: would like a coach to check this with us.' },
    aims: [
      {
        what: 'Reduce',
        measure: 'falls at home in the 30 days after discharge from community physiotherapy',
        baseline: '9 a month',
        target: '5 a month',
        forWhom: 'people discharged from the Forest of Dean team',
        byWhen: 'September 2027',
        days: 20,
      },
    ],
    scores: [{ score: 0.5, note: 'Intent to take part.', days: 25 }],
    submittedDays: 5,
    approvedDays: null,
    lessons: '',
    abandonedReason: null,
    comments: [],
  },
  {
    id: 'demo-project-referrals',
    title: 'Faster routine referrals from primary care (DEMO)',
    problem:
      'DEMO (synthetic). Routine referrals from the practice took a median of 6 working days to be sent, because letters waited in several inboxes.',
    status: 'completed',
    visibility: 'community',
    organisations: ['org-primary-care'],
    team: [
      { who: 'leo.learner', role: 'lead' },
      { who: 'ada.aimwell', role: 'member' },
      { who: 'cara.cycle', role: 'coach' },
      { who: 'esme.exec', role: 'sponsor' },
    ],
    aimCodes: ['F2'],
    qsirStage: 'handover_sustain',
    research: { answer: 'service_evaluation', notes: '' },
    aims: [
      {
        what: 'Reduce',
        measure: 'the median number of working days to send a routine referral',
        baseline: '6 days',
        target: '2 days',
        forWhom: 'patients of the practice',
        byWhen: 'June 2026',
        days: 400,
      },
    ],
    scores: [
      { score: 1.5, note: '', days: 390 },
      { score: 3.0, note: '', days: 250 },
      { score: 4.0, note: 'Two days reached and held for three months.', days: 120 },
      { score: 4.5, note: 'Sustained after handover to the practice manager.', days: 40 },
    ],
    submittedDays: 395,
    approvedDays: 392,
    lessons:
      'DEMO: One shared referrals inbox with a daily owner made the biggest difference. Start measuring before changing anything, and keep the run chart on the wall where the team meets.',
    abandonedReason: null,
    comments: [
      {
        id: 'demo-comment-referrals-1',
        who: 'cara.cycle',
        body: 'DEMO: Lovely example of sustaining the gain. Worth a poster at the next showcase.',
        days: 30,
      },
    ],
  },
] as const
