import { nullTranslator } from '@jupyterlab/translation';

import { coverageText } from '../coverage';

const trans = nullTranslator.load('progress_tracker');

describe('coverageText', () => {
  it('says how many capture and how many do not, without names', () => {
    const text = coverageText(
      {
        course: 'cs101',
        policy: 'opt-in',
        students: 30,
        capturing: 24,
        optedOut: 2,
        awaitingConsent: 3,
        captureOff: 5,
        notReporting: 1
      },
      trans
    );
    expect(text).toBe(
      'Capture (cs101, opt-in): 24 capturing · 2 opted out · 3 not yet agreed · 5 capture off · 1 not reporting'
    );
  });

  it('leaves out what is zero, and refuses what is not counts', () => {
    const counts = {
      course: 'default',
      policy: 'notice',
      students: 3,
      capturing: 3
    };
    expect(
      coverageText(
        {
          ...counts,
          optedOut: 0,
          awaitingConsent: 0,
          captureOff: 0,
          notReporting: 0
        },
        trans
      )
    ).toBe('Capture (default, notice): 3 capturing');
    expect(coverageText(counts, trans)).toBeNull();
    expect(coverageText(null, trans)).toBeNull();
  });
});
