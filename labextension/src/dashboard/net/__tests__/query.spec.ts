import { withQuery } from '../query';

describe('query strings of the API', () => {
  it('builds query strings, encoding values and leaving out empty ones', () => {
    expect(withQuery('progress', { notebook: 'dir/a b&c.ipynb' })).toBe(
      'progress?notebook=dir%2Fa%20b%26c.ipynb'
    );
    expect(withQuery('progress', { notebook: null })).toBe('progress');
    expect(
      withQuery('export.csv', {
        notebook: 'n',
        since: '',
        until: undefined,
        pseudonymise: 1
      })
    ).toBe('export.csv?notebook=n&pseudonymise=1');
  });
});
