/**
 * The contacts the community publishes (../shared/data/seed-content.md §9), in the seed's words.
 * Addresses are display facts: shown on /contact for people to write to themselves, never used
 * by the platform's mailer (which sends only to the demo replacements outside production).
 * The seed names the Associate Director's role but reproduces neither the person's name nor
 * their address, so neither is shown here.
 */
export const CONTACTS = [
  {
    id: 'contact-community',
    heading: 'One Gloucestershire Improvement Community',
    purpose: 'Join the community or get more information; ask for facilitation help',
    address: 'glicb.improvement-community@nhs.net',
  },
  {
    id: 'contact-associate-director',
    heading: 'The Associate Director, One Gloucestershire Improvement Community',
    purpose: 'Discuss the programme',
    address: null,
  },
  {
    id: 'contact-ghc-qihub',
    heading: 'QI Hub (Gloucestershire Health and Care NHS Foundation Trust)',
    purpose: 'GHC QI Hub information',
    address: 'QI@ghc.nhs.uk',
  },
] as const
